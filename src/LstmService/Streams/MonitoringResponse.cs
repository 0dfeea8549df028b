using LstmService.Drift;

namespace LstmService.Streams;

/// <summary>
/// A version's online accuracy over its streams next to its backtest: the rolling metrics of its most recent scored values,
/// the backtest's (null for a version registered without one), and their ratios (online over backtest, above 1 when the
/// version does worse online than it did on the validation part): what the drift rule reads; whether it flagged the
/// version, and the version's monitoring decisions (drift, challenger queued, champion/challenger comparison), oldest first.
/// </summary>
public sealed record MonitoringResponse(
    string Model,
    int Version,
    int Window,
    int Streams,
    int Anomalies,
    OnlineMetricsResponse Online,
    BacktestAccuracyResponse? Backtest,
    double? MaseRatio,
    double? MaeRatio,
    DriftResponse Drift,
    IReadOnlyList<DecisionResponse> Decisions);

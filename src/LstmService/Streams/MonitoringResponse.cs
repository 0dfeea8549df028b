using LstmService.Drift;

namespace LstmService.Streams;

/// <summary>
/// A version's online accuracy over its streams next to its backtest: the rolling metrics of its most recent scored values,
/// the backtest's (null for a version registered without one), and their ratios (online over backtest, above 1 when the
/// version does worse online than it did on the validation part): what the drift rule reads; whether it flagged the
/// version, and the version's monitoring decisions (drift, challenger queued, champion/challenger comparison), oldest first.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Version">The version monitored.</param>
/// <param name="Window">Streams:MonitoringWindow: how many of the version's most recent scored values the online metrics cover.</param>
/// <param name="Streams">The version's streams (one not appended to for Streams:IdleDays is deleted by the hourly sweep).</param>
/// <param name="Anomalies">Anomalies flagged on those streams within Streams:IdleDays.</param>
/// <param name="Online">The rolling online accuracy over the latest scored values, with the backtest's definitions.</param>
/// <param name="Backtest">The version's backtest accuracy on its validation part; null for a version registered without one (from a state_dict).</param>
/// <param name="MaseRatio">Online MASE over the backtest's: above 1 when the version does worse online; null without a backtest or scores.</param>
/// <param name="MaeRatio">Online MAE over the backtest's; null without a backtest or scores.</param>
/// <param name="Drift">Whether the drift rule sees the version drifting now, and its settings.</param>
/// <param name="Decisions">The version's monitoring decisions (drift, retrain, challenge, trial, cleared), oldest first.</param>
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

namespace LstmService.Drift;

/// <summary>
/// Whether the drift rule flagged the version, since when and at what ratio (online MASE over backtest MASE; null when the
/// backtest's was 0), and, when the rule cannot judge the version (no backtest), why not.
/// </summary>
public sealed record DriftResponse(bool Flagged, DateTimeOffset? Since, double? Ratio, double Factor, int Observations, bool AutoRetrain, string? NotJudged = null);

namespace LstmService.Drift;

/// <summary>Whether the drift rule flagged the version, since when and at what ratio (online MASE over backtest MASE).</summary>
public sealed record DriftResponse(bool Flagged, DateTimeOffset? Since, double? Ratio, double Factor, int Observations, bool AutoRetrain);

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// The scale a model works on. Log makes a multiplicative season and growth additive (and keeps forecasts positive); the
/// trainer chooses it only for positive series and only when the likelihood of the exponential smoothing says so.
/// </summary>
public enum SeriesTransform
{
    /// <summary>The values as they are.</summary>
    None = 0,
    /// <summary>Natural logarithm of the values (positive series only).</summary>
    Log = 1,
}

using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>
/// Requests per key (per client address when the service runs without keys) in a fixed window. Section "RateLimits".
/// A permit count of 0 switches that limit off.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Forecast requests each key may send per window.</summary>
    [Range(0, 1_000_000)]
    public int ForecastPermits { get; set; } = 600;

    [Range(1, 86_400)]
    public int ForecastWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Values (series x horizon) each key's forecasts may compute per forecast window: the request limit counts a forecast of
    /// 10,000 series as one request. A request larger than this alone answers 400. The default allows 600 requests of
    /// 1,000 series of 10 steps a minute.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ForecastPointPermits { get; set; } = 6_000_000;

    /// <summary>
    /// Training submits (JSON or CSV) each key may send per window; accepted or not, each counts. Two a second: a client that
    /// trains one model per series and waits for each (a suite of 60 short series) needs about one a second, and the
    /// training queue's capacity, not this, bounds the jobs waiting.
    /// </summary>
    [Range(0, 1_000_000)]
    public int TrainingSubmitPermits { get; set; } = 120;

    [Range(1, 86_400)]
    public int TrainingSubmitWindowSeconds { get; set; } = 60;

    /// <summary>The limits an API key may set for itself too (<see cref="ApiKeyEntry"/>), by their property names.</summary>
    public static readonly string[] KeyLimits = [nameof(ForecastPermits), nameof(ForecastPointPermits), nameof(TrainingSubmitPermits)];

    /// <summary>The permits of one of <see cref="KeyLimits"/>.</summary>
    public int Permits(string limit) => (int)Property(limit).GetValue(this)!;

    /// <summary>The largest value the setting of one of <see cref="KeyLimits"/> takes (its [Range]).</summary>
    public static int MaxPermits(string limit) =>
        Convert.ToInt32(Property(limit).GetCustomAttributes(typeof(RangeAttribute), false).Cast<RangeAttribute>().Single().Maximum, System.Globalization.CultureInfo.InvariantCulture);

    private static System.Reflection.PropertyInfo Property(string limit) =>
        KeyLimits.Contains(limit) ? typeof(RateLimitOptions).GetProperty(limit)! : throw new ArgumentOutOfRangeException(nameof(limit), limit, "Not a rate limit.");
}

namespace LstmService.Streams;

/// <summary>
/// A stream's forecast of the next values after its <paramref name="Length"/> values (step h forecasts value Length + h - 1,
/// counting from 0): the mean, each quantile of the version, and the anomaly interval (null for a version without a
/// symmetric quantile pair), each step's time when the stream has dates, and, for a version that clamps at zero, whether this
/// forecast was (as the forecast endpoint's <c>clampedAtZero</c>: false for a history holding a negative value).
/// </summary>
public sealed record StreamForecastResponse(int Length, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles,
    IReadOnlyList<float>? AnomalyLower, IReadOnlyList<float>? AnomalyUpper,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Timestamps = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? ClampedAtZero = null)
{
    public static StreamForecastResponse From(StoredForecast f, int length, StreamTiming? timing) =>
        From(f, length, timing?.StepTimes(length, f.Mean.Length));

    /// <summary>With the steps' times already worked out (an append checks them before it stores anything).</summary>
    public static StreamForecastResponse From(StoredForecast f, int length, IReadOnlyList<string>? timestamps) =>
        new(length, f.Mean, f.Quantiles, f.AnomalyLower, f.AnomalyUpper, timestamps, f.ClampedAtZero);
}

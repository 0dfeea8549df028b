namespace LstmService.Streams;

/// <summary>
/// A stream's forecast of the next values after its <paramref name="Length"/> values (step h forecasts value Length + h - 1,
/// counting from 0): the mean, each quantile of the version, and the anomaly interval (null for a version without a
/// symmetric quantile pair), and each step's time when the stream has dates.
/// </summary>
public sealed record StreamForecastResponse(int Length, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles,
    IReadOnlyList<float>? AnomalyLower, IReadOnlyList<float>? AnomalyUpper,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Timestamps = null)
{
    public static StreamForecastResponse From(StoredForecast f, int length, StreamTiming? timing) =>
        new(length, f.Mean, f.Quantiles, f.AnomalyLower, f.AnomalyUpper, timing?.StepTimes(length, f.Mean.Length));
}

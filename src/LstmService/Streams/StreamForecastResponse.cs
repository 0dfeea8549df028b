namespace LstmService.Streams;

/// <summary>
/// A stream's forecast of the next values after its <paramref name="Length"/> values (step h forecasts value Length + h - 1,
/// counting from 0): the mean, each quantile of the version, and the anomaly interval (null for a version without a
/// symmetric quantile pair), each step's time when the stream has dates, and, for a version that clamps at zero, whether this
/// forecast was (as the forecast endpoint's <c>clampedAtZero</c>: false for a history holding a negative value), and the
/// changes of level it read in the stream's values (as the forecast endpoint's <c>levelChanges</c>; left out when none was),
/// and whether the stream's seriesId named a training series with its own weights or widths (as the forecast endpoint's
/// <c>trainedSeries</c>; left out for a version that keeps none).
/// </summary>
public sealed record StreamForecastResponse(int Length, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles,
    IReadOnlyList<float>? AnomalyLower, IReadOnlyList<float>? AnomalyUpper,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Timestamps = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? ClampedAtZero = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Forecasts.LevelChangeResponse>? LevelChanges = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? TrainedSeries = null)
{
    public static StreamForecastResponse From(StoredForecast f, int length, StreamTiming? timing) =>
        From(f, length, timing?.StepTimes(length, f.Mean.Length), timing);

    /// <summary>With the steps' times already worked out (an append checks them before it stores anything).</summary>
    public static StreamForecastResponse From(StoredForecast f, int length, IReadOnlyList<string>? timestamps, StreamTiming? timing) =>
        new(length, f.Mean, f.Quantiles, f.AnomalyLower, f.AnomalyUpper, timestamps, f.ClampedAtZero,
            f.LevelChanges?.Select(c => Forecasts.LevelChangeResponse.From(c, timing?.TimeOf(c.Index))).ToArray(), f.TrainedSeries);
}

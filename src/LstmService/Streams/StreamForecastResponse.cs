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
/// <param name="Length">Values the stream held when it forecast (missing ones included): the first step forecasts the value at this index, from 0.</param>
/// <param name="Mean">The mean forecast, one value per step of the version's horizon.</param>
/// <param name="Quantiles">Per quantile level of the version ("0.1", "0.5", ...), its forecast per step; empty for a version without quantiles.</param>
/// <param name="AnomalyLower">The anomaly interval's lower end per step (the Streams:AnomalyLow quantile, 0.01 by default); null for a version without a symmetric quantile pair.</param>
/// <param name="AnomalyUpper">The anomaly interval's upper end per step (the Streams:AnomalyHigh quantile, 0.99 by default); null for a version without a symmetric quantile pair.</param>
/// <param name="Timestamps">Each step's time (ISO 8601) on a dated stream; left out on an undated one.</param>
/// <param name="ClampedAtZero">For a version that clamps at zero (architecture.nonNegative), whether this forecast was clamped (false when the history holds a negative value); left out for a version that does not clamp.</param>
/// <param name="LevelChanges">The lasting changes of level the forecast read in the stream's values, oldest first; left out when there was none.</param>
/// <param name="TrainedSeries">For a version that keeps training series' own weights or widths, whether the stream's seriesId named one; left out for a version that keeps none.</param>
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

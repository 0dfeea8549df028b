namespace LstmService.Streams;

/// <summary>
/// A stream's forecast of the next values after its <paramref name="Length"/> values (step h forecasts value Length + h - 1,
/// counting from 0): the mean, each quantile of the version, and the anomaly interval (null for a version without a
/// symmetric quantile pair).
/// </summary>
public sealed record StreamForecastResponse(int Length, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles,
    IReadOnlyList<float>? AnomalyLower, IReadOnlyList<float>? AnomalyUpper)
{
    public static StreamForecastResponse From(StoredForecast f, int length) => new(length, f.Mean, f.Quantiles, f.AnomalyLower, f.AnomalyUpper);
}

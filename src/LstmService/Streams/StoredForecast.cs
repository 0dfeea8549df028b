namespace LstmService.Streams;

/// <summary>A forecast as stored: the mean and quantiles (keyed as the forecast endpoint keys them) and the anomaly interval.</summary>
public sealed record StoredForecast(float[] Mean, Dictionary<string, float[]> Quantiles, float[]? AnomalyLower, float[]? AnomalyUpper);

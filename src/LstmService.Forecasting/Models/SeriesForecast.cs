namespace LstmService.Forecasting.Models;

/// <summary>One series' forecast, on the series' own scale.</summary>
public sealed record SeriesForecast(float[] Mean, IReadOnlyDictionary<float, float[]> Quantiles);

namespace LstmService.Forecasts;

/// <summary>One series' forecast.</summary>
/// <param name="Id">The series' id from the request, or its index.</param>
/// <param name="Mean">Point forecast per step.</param>
/// <param name="Quantiles">Quantile level (e.g. "0.1") → forecast per step; levels never cross.</param>
public sealed record SeriesForecastResponse(string Id, IReadOnlyList<float> Mean, IReadOnlyDictionary<string, float[]> Quantiles);

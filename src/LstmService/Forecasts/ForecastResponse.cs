namespace LstmService.Forecasts;

/// <summary>Forecasts of one model version.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that forecast.</param>
/// <param name="Horizon">Steps forecast.</param>
/// <param name="Forecasts">One per requested series, in request order.</param>
public sealed record ForecastResponse(string Model, int Version, int Horizon, IReadOnlyList<SeriesForecastResponse> Forecasts);

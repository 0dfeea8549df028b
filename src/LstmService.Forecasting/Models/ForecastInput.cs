namespace LstmService.Forecasting.Models;

/// <summary>
/// One forecast request: the history (NaN = missing), the covariates' history (as long as <paramref name="History"/>) when
/// the model has covariates, and for covariates known in advance their values over the horizon
/// (<paramref name="FutureCovariates"/>, at least as many as the steps asked for). <paramref name="Id"/> names the training
/// series the history continues, whose own interval scales and mixing weights a model of several series then applies
/// (<see cref="ForecastModel.SeriesIntervalScales"/>, <see cref="ForecastModel.SeriesMixWeights"/>).
/// </summary>
public sealed record ForecastInput(float[] History, IReadOnlyDictionary<string, float[]>? Covariates = null, IReadOnlyDictionary<string, float[]>? FutureCovariates = null,
    string? Id = null);

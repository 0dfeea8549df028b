namespace LstmService.Forecasting.Training;

/// <summary>
/// One training series: its values (NaN = missing), optional covariates (named arrays as long as the values) and optional
/// id, under which a model of several series keeps its own intervals' reach and mixing weights
/// (<see cref="Models.ForecastModel.SeriesIntervalScales"/>, <see cref="Models.ForecastModel.SeriesMixWeights"/>).
/// </summary>
public sealed record TrainingSeries(float[] Values, IReadOnlyDictionary<string, float[]>? Covariates = null, string? Id = null);

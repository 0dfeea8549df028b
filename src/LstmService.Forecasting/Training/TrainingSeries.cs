namespace LstmService.Forecasting.Training;

/// <summary>
/// One training series: its values (NaN = missing), optional covariates (named arrays as long as the values) and optional
/// id, under which a model of several series keeps its intervals' own reach (<see cref="Models.ForecastModel.SeriesIntervalScales"/>).
/// </summary>
public sealed record TrainingSeries(float[] Values, IReadOnlyDictionary<string, float[]>? Covariates = null, string? Id = null);

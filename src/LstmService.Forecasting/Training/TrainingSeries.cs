namespace LstmService.Forecasting.Training;

/// <summary>One training series: its values (NaN = missing) and optional covariates, named arrays as long as the values.</summary>
public sealed record TrainingSeries(float[] Values, IReadOnlyDictionary<string, float[]>? Covariates = null);

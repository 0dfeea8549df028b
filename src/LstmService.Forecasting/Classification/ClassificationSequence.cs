namespace LstmService.Forecasting.Classification;

/// <summary>
/// One sequence to classify or to learn from: its values in time order (NaN marks a missing value), optional covariates
/// aligned with them (name → values, the same names in every sequence) and, for training, its class label.
/// Sequences may differ in length.
/// </summary>
public sealed record ClassificationSequence(float[] Values, IReadOnlyDictionary<string, float[]>? Covariates = null, string? Label = null);

namespace LstmService.Forecasting.Classification;

/// <summary>A sequence's class probabilities (in the model's class order) and the most probable class.</summary>
public sealed record ClassPrediction(string Label, int ClassIndex, float[] Probabilities);

namespace LstmService.Forecasting.Training;

/// <summary>One candidate of the hyperparameter search: what it changed, its options, its best validation loss, whether it won.</summary>
public sealed record SearchCandidate(string Name, TrainingOptions Options, double ValidationLoss, bool Chosen);

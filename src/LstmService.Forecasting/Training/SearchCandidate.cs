namespace LstmService.Forecasting.Training;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What it changed ("as requested", "cell gru", "hiddenSize 64", ...).</param>
/// <param name="Options">Its options.</param>
/// <param name="ValidationLoss">Its mean best validation loss over the folds that validate (+∞ when a fold could not be trained).</param>
/// <param name="Chosen">Whether it won (the lowest mean).</param>
/// <param name="FoldLosses">Its best validation loss per fold, oldest first: NaN for a fold left out (no series validates in it, or no
/// candidate could be trained on it), +∞ for a fold this candidate could not be trained on.</param>
public sealed record SearchCandidate(string Name, TrainingOptions Options, double ValidationLoss, bool Chosen, IReadOnlyList<double> FoldLosses);

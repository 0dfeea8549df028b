namespace LstmService.Forecasting.Training;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What it changed ("as requested", "cell gru", "hiddenSize 64", ...).</param>
/// <param name="Options">Its options.</param>
/// <param name="ValidationLoss">Its mean best validation loss over the folds that validate (+∞ when a fold could not be trained).</param>
/// <param name="Chosen">Whether it won (the lowest <paramref name="ValidationMase"/>).</param>
/// <param name="FoldLosses">Its best validation loss per fold, oldest first: NaN for a fold left out (no series validates in it, or no
/// candidate could be trained on it), +∞ for a fold this candidate could not be trained on.</param>
/// <param name="ValidationMase">Its mean over the folds of <paramref name="FoldMase"/>: what decides (the lowest wins, the earlier candidate on a tie).</param>
/// <param name="FoldMase">Per fold, the MASE on the fold's validation block of the forecast its trial makes (the network mixed
/// with the classical members as a version mixes them, the weights fitted on that block, without a short series' rolling
/// origins: <see cref="TrainingOptions.Trial"/>); NaN and +∞ as in <paramref name="FoldLosses"/>.</param>
public sealed record SearchCandidate(string Name, TrainingOptions Options, double ValidationLoss, bool Chosen, IReadOnlyList<double> FoldLosses,
    double ValidationMase = double.NaN, IReadOnlyList<double>? FoldMase = null);

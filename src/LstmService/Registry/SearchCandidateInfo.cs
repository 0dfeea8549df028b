using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Registry;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What the candidate changed ("as requested", "cell gru", "hiddenSize 64", ...).</param>
/// <param name="ValidationLoss">Its mean best validation loss over the folds (null when a fold could not be trained, e.g. a window too long for the data).</param>
/// <param name="Chosen">Whether this candidate was trained into the version.</param>
/// <param name="InputWindow">Its input window (0 = chosen from the data).</param>
/// <param name="HiddenSize">Its hidden units per member.</param>
/// <param name="Layers">Its layers.</param>
/// <param name="LearningRate">Its learning rate.</param>
/// <param name="Cell">Its recurrent cell (versions stored before the GRU read as lstm).</param>
/// <param name="FoldLosses">Its best validation loss per fold of the rolling-origin cross-validation, oldest first (null for a fold left out,
/// in which no series validates or no candidate could be trained, or one this candidate could not be trained on); null for versions stored before the folds.</param>
/// <param name="ValidationMase">Its mean validation MASE over the folds, of its forecast as a version mixes it: what chose (null: a fold
/// could not be trained, or a version searched before the search chose by it, on the network's loss).</param>
/// <param name="FoldMase">That MASE per fold, oldest first (null entries as in <paramref name="FoldLosses"/>); null for versions searched before.</param>
public sealed record SearchCandidateInfo(string Name, double? ValidationLoss, bool Chosen, int InputWindow, int HiddenSize, int Layers, float LearningRate,
    RecurrentCell Cell = RecurrentCell.Lstm, IReadOnlyList<double?>? FoldLosses = null, double? ValidationMase = null, IReadOnlyList<double?>? FoldMase = null)
{
    public static SearchCandidateInfo Of(SearchCandidate c) =>
        new(c.Name, Finite.OrNull(c.ValidationLoss), c.Chosen, c.Options.InputWindow, c.Options.HiddenSize, c.Options.Layers, c.Options.LearningRate,
            c.Options.Cell, c.FoldLosses.Select(Finite.OrNull).ToArray(), Finite.OrNull(c.ValidationMase), c.FoldMase?.Select(Finite.OrNull).ToArray());
}

using LstmService.Kernels;
using LstmService.Registry;

namespace LstmService.Models;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What the candidate changed ("as requested", "cell gru", "hiddenSize 64", ...).</param>
/// <param name="ValidationLoss">Its network's mean best validation loss over the folds of the rolling-origin cross-validation (null when a fold could not be trained, e.g. a window too long for the data).</param>
/// <param name="Chosen">Whether this candidate was trained into the version.</param>
/// <param name="InputWindow">Its input window (0 = chosen from the data).</param>
/// <param name="HiddenSize">Its hidden units per member.</param>
/// <param name="Layers">Its layers.</param>
/// <param name="LearningRate">Its learning rate.</param>
/// <param name="Cell">Its recurrent cell: lstm or gru.</param>
/// <param name="FoldLosses">Its best validation loss per fold, oldest first (null for a fold left out, in which no series validates or no candidate could be trained, or one this candidate could not be trained on); empty for versions searched before the folds.</param>
/// <param name="ValidationMase">Its mean validation MASE over the folds, of its forecast as a version mixes it (the network with the classical
/// members, the weights fitted on the fold's validation block): the lowest wins, the earlier candidate on a tie, so where the mix gives the network no weight (or a short
/// series silences it) the candidates that change the network alone tie and "as requested" stands. Null when a fold could not be
/// trained, and for versions searched before 2026-12-07, whose search chose by the network's loss.</param>
/// <param name="FoldMase">That MASE per fold, oldest first (null as in foldLosses); empty for versions searched before 2026-12-07.</param>
public sealed record SearchCandidateResponse(string Name, double? ValidationLoss, bool Chosen, int InputWindow, int HiddenSize, int Layers, float LearningRate,
    RecurrentCell Cell, IReadOnlyList<double?> FoldLosses, double? ValidationMase, IReadOnlyList<double?> FoldMase)
{
    public static SearchCandidateResponse From(SearchCandidateInfo c) =>
        new(c.Name, c.ValidationLoss, c.Chosen, c.InputWindow, c.HiddenSize, c.Layers, c.LearningRate, c.Cell, c.FoldLosses ?? [], c.ValidationMase, c.FoldMase ?? []);
}

using LstmService.Forecasting.Training;

namespace LstmService.Registry;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What the candidate changed ("as requested", "hiddenSize 64", ...).</param>
/// <param name="ValidationLoss">Its best validation loss (null when it could not be trained, e.g. a window too long for the data).</param>
/// <param name="Chosen">Whether this candidate was trained into the version.</param>
/// <param name="InputWindow">Its input window (0 = chosen from the data).</param>
/// <param name="HiddenSize">Its hidden units per member.</param>
/// <param name="Layers">Its layers.</param>
/// <param name="LearningRate">Its learning rate.</param>
public sealed record SearchCandidateInfo(string Name, double? ValidationLoss, bool Chosen, int InputWindow, int HiddenSize, int Layers, float LearningRate)
{
    public static SearchCandidateInfo Of(SearchCandidate c) =>
        new(c.Name, Finite.OrNull(c.ValidationLoss), c.Chosen, c.Options.InputWindow, c.Options.HiddenSize, c.Options.Layers, c.Options.LearningRate);
}

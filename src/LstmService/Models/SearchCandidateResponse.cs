using LstmService.Registry;

namespace LstmService.Models;

/// <summary>One candidate of the hyperparameter search.</summary>
/// <param name="Name">What the candidate changed ("as requested", "hiddenSize 64", ...).</param>
/// <param name="ValidationLoss">Its best validation loss (null when it could not be trained, e.g. a window too long for the data).</param>
/// <param name="Chosen">Whether this candidate was trained into the version.</param>
/// <param name="InputWindow">Its input window (0 = chosen from the data).</param>
/// <param name="HiddenSize">Its hidden units per member.</param>
/// <param name="Layers">Its layers.</param>
/// <param name="LearningRate">Its learning rate.</param>
public sealed record SearchCandidateResponse(string Name, double? ValidationLoss, bool Chosen, int InputWindow, int HiddenSize, int Layers, float LearningRate)
{
    public static SearchCandidateResponse From(SearchCandidateInfo c) =>
        new(c.Name, c.ValidationLoss, c.Chosen, c.InputWindow, c.HiddenSize, c.Layers, c.LearningRate);
}

using LstmService.Forecasting.Classification;

namespace LstmService.Classification;

/// <summary>One sequence's answer.</summary>
/// <param name="Id">The request's id, else the sequence's index.</param>
/// <param name="Label">The most probable class.</param>
/// <param name="Probabilities">Class label → probability (they sum to 1).</param>
public sealed record SequenceClassificationResponse(string Id, string Label, IReadOnlyDictionary<string, float> Probabilities)
{
    public static SequenceClassificationResponse From(string id, ClassPrediction prediction, IReadOnlyList<string> classes) => new(
        id, prediction.Label, classes.Select((c, k) => (c, k)).ToDictionary(p => p.c, p => prediction.Probabilities[p.k], StringComparer.Ordinal));
}

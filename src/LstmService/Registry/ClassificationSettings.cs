using LstmService.Forecasting.Classification;

namespace LstmService.Registry;

/// <summary>What a classification job sets beyond the network and optimiser settings it shares with forecasting.</summary>
/// <param name="ValidationSplit">stratified (the same share of each class) or time (the last sequences as given).</param>
/// <param name="ClassWeights">The cross-entropy's weight per label as requested; null: balanced (inverse class frequency).</param>
public sealed record ClassificationSettings(ValidationSplit ValidationSplit, IReadOnlyDictionary<string, float>? ClassWeights)
{
    /// <summary>The trainer's options: these settings and the shared ones of <paramref name="settings"/>.</summary>
    public ClassificationOptions ToOptions(TrainingSettings settings) => new()
    {
        HiddenSize = settings.HiddenSize,
        Layers = settings.Layers,
        Dropout = settings.Dropout,
        Peepholes = settings.Peepholes,
        Cell = settings.Cell,
        Epochs = settings.Epochs,
        BatchSize = settings.BatchSize,
        LearningRate = settings.LearningRate,
        WeightDecay = settings.WeightDecay,
        ClipNorm = settings.ClipNorm,
        ValidationFraction = settings.ValidationFraction,
        Patience = settings.Patience,
        Seed = settings.Seed,
        Validation = ValidationSplit,
        ClassWeights = ClassWeights,
    };
}

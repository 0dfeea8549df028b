using LstmService.Kernels.Forecasting;

namespace LstmService.Training;

/// <summary>The fully resolved settings of a training run (request values, else the kernel's defaults), kept with the job and the version.</summary>
public sealed record TrainingSettings(
    int InputWindow,
    int Horizon,
    int HiddenSize,
    int Layers,
    float Dropout,
    bool Peepholes,
    int Epochs,
    int BatchSize,
    float LearningRate,
    float WeightDecay,
    float ClipNorm,
    float ValidationFraction,
    int Patience,
    ulong Seed,
    float[] Quantiles,
    ScalingMode Scaling)
{
    public TrainingOptions ToOptions() => new()
    {
        InputWindow = InputWindow,
        Horizon = Horizon,
        HiddenSize = HiddenSize,
        Layers = Layers,
        Dropout = Dropout,
        Peepholes = Peepholes,
        Epochs = Epochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        ClipNorm = ClipNorm,
        ValidationFraction = ValidationFraction,
        Patience = Patience,
        Seed = Seed,
        Quantiles = Quantiles.ToArray(),
        Scaling = Scaling,
    };
}

/// <summary>What a queued job needs to run after a restart: its settings and its data (persisted with the job).</summary>
public sealed record TrainingJobSpec(TrainingSettings Settings, IReadOnlyList<StoredSeries> Series);

/// <summary>A training series as stored with its job; null marks a missing value.</summary>
public sealed record StoredSeries(string? Id, double?[] Values)
{
    public float[] ToFloats()
    {
        var values = new float[Values.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = Values[i] is { } v ? (float)v : float.NaN;
        return values;
    }
}

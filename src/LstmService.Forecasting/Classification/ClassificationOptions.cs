using LstmService.Kernels;

namespace LstmService.Forecasting.Classification;

/// <summary>Every knob of one classification run; defaults are what the service uses when a request says nothing.</summary>
public sealed record ClassificationOptions
{
    public const int MaxClasses = 1000;

    /// <summary>Hidden units per recurrent layer.</summary>
    public int HiddenSize { get; init; } = 32;
    public int Layers { get; init; } = 1;
    public float Dropout { get; init; }
    /// <summary>LSTM only: peephole connections from the cell state into the gates.</summary>
    public bool Peepholes { get; init; }
    /// <summary>The recurrent cell. LSTM by default: on the Nottingham windows of the tests both cells classify the later windows alike and the LSTM scores higher in validation.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;
    public int Epochs { get; init; } = 200;
    /// <summary>Sequences per optimisation step (a batch holds sequences of one length).</summary>
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 1e-2f;
    public float WeightDecay { get; init; }
    public float ClipNorm { get; init; } = 1f;
    /// <summary>Share of the sequences held out for validation, early stopping and the recorded metrics, in [0, 0.5].</summary>
    public float ValidationFraction { get; init; } = 0.2f;
    public ValidationSplit Validation { get; init; } = ValidationSplit.Stratified;
    public int Patience { get; init; } = 20;
    public ulong Seed { get; init; } = 42;
    /// <summary>
    /// Weight of each class in the cross-entropy (label → weight; a class not named weighs 1). null (default): balanced, each
    /// class weighted by N / (K · n_class) over the training part, so a rare class counts as much as a common one.
    /// </summary>
    public IReadOnlyDictionary<string, float>? ClassWeights { get; init; }
}

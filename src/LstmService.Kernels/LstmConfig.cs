namespace LstmService.Kernels;

/// <summary>Shape of a stacked LSTM with a dense head on the last hidden state.</summary>
/// <param name="InputSize">Features per time step (I).</param>
/// <param name="HiddenSize">Hidden units per layer (H).</param>
/// <param name="Layers">Stacked layers, 1 to 8.</param>
/// <param name="OutputSize">Outputs of the dense head (O).</param>
/// <param name="Peepholes">Diagonal peephole weights from the cell state into the i, f and o gates.</param>
/// <param name="Dropout">Dropout probability between layers while training, in [0, 1).</param>
public sealed record LstmConfig(int InputSize, int HiddenSize, int Layers = 1, int OutputSize = 1, bool Peepholes = false, float Dropout = 0f)
{
    public const int MaxLayers = 8;
    public const int MaxWidth = 8192;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        if (InputSize is < 1 or > MaxWidth) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be in 1..{MaxWidth}.");
        if (HiddenSize is < 1 or > MaxWidth) throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, $"HiddenSize must be in 1..{MaxWidth}.");
        if (Layers is < 1 or > MaxLayers) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, $"Layers must be in 1..{MaxLayers}.");
        if (OutputSize is < 1 or > MaxWidth) throw new ArgumentOutOfRangeException(nameof(OutputSize), OutputSize, $"OutputSize must be in 1..{MaxWidth}.");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        // Widths within range can still ask for more parameters than one flat float buffer holds (8 layers of 8192 units).
        if (ParameterCount() is var count && count > MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, $"The network would have {count} parameters; one buffer holds at most {MaxParameters}.");
    }

    /// <summary>The most parameters one network may have: the length of its single flat buffer.</summary>
    public static long MaxParameters => Array.MaxLength;

    /// <summary>
    /// Parameters of this shape, in checked 64-bit arithmetic so declared shapes can be measured before anything is
    /// allocated: per layer 4H x (in + H) weights and 8H biases (3H peepholes), then the O x H head and O biases.
    /// </summary>
    public long ParameterCount()
    {
        long h = HiddenSize, total = 0;
        for (var l = 0; l < Layers; l++)
            total = checked(total + 4 * h * (LayerInput(l) + h) + 8 * h + (Peepholes ? 3 * h : 0));
        return checked(total + (long)OutputSize * h + OutputSize);
    }

    /// <summary>Input width of layer <paramref name="layer"/>: I for the first, H above it.</summary>
    public int LayerInput(int layer) => layer == 0 ? InputSize : HiddenSize;
}

namespace LstmService.Kernels;

/// <summary>Shape of a stacked GRU with a dense head on the last hidden state (the GRU sibling of <see cref="LstmConfig"/>).</summary>
/// <param name="InputSize">Features per time step (I).</param>
/// <param name="HiddenSize">Hidden units per layer (H).</param>
/// <param name="Layers">Stacked layers, 1 to 8.</param>
/// <param name="OutputSize">Outputs of the dense head (O).</param>
/// <param name="Dropout">Dropout probability between layers while training, in [0, 1).</param>
public sealed record GruConfig(int InputSize, int HiddenSize, int Layers = 1, int OutputSize = 1, float Dropout = 0f)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        const int w = LstmConfig.MaxWidth;
        if (InputSize is < 1 or > w) throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, $"InputSize must be in 1..{w}.");
        if (HiddenSize is < 1 or > w) throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, $"HiddenSize must be in 1..{w}.");
        if (Layers is < 1 or > LstmConfig.MaxLayers) throw new ArgumentOutOfRangeException(nameof(Layers), Layers, $"Layers must be in 1..{LstmConfig.MaxLayers}.");
        if (OutputSize is < 1 or > w) throw new ArgumentOutOfRangeException(nameof(OutputSize), OutputSize, $"OutputSize must be in 1..{w}.");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        // Widths within range can still ask for more parameters than one flat float buffer holds.
        if (ParameterCount() is var count && count > LstmConfig.MaxParameters)
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, $"The network would have {count} parameters; one buffer holds at most {LstmConfig.MaxParameters}.");
    }

    /// <summary>Parameters of this shape (checked 64-bit): per layer 3H x (in + H) weights and 6H biases, then the O x H head and O biases.</summary>
    public long ParameterCount()
    {
        long h = HiddenSize, total = 0;
        for (var l = 0; l < Layers; l++) total = checked(total + 3 * h * (LayerInput(l) + h) + 6 * h);
        return checked(total + (long)OutputSize * h + OutputSize);
    }

    /// <summary>Input width of layer <paramref name="layer"/>: I for the first, H above it.</summary>
    public int LayerInput(int layer) => layer == 0 ? InputSize : HiddenSize;
}

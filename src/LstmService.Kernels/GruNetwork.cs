namespace LstmService.Kernels;

/// <summary>
/// A stacked GRU (torch.nn.GRU's parameter layout, gates r, z, n) with a dense head on the last hidden state: the GRU
/// sibling of <see cref="LstmNetwork"/>. Parameters and gradients are flat buffers described by <see cref="Layout"/>;
/// the packed weights are rebuilt lazily after <see cref="ParametersChanged"/>; passes run on a <see cref="GruWorkspace"/>.
/// </summary>
public sealed class GruNetwork : IRecurrentNetwork
{
    readonly PackedWeightsCache<GruPackedWeights> _packs;
    readonly RecurrentConfig _shape;
    float[]? _gradients;

    public GruNetwork(GruConfig config)
    {
        var layout = Layout = new GruParameterLayout(config);
        _packs = new(withBackward => new GruPackedWeights(layout, withBackward));
        Parameters = new float[Layout.TotalLength];
        _shape = RecurrentConfig.Of(config);
    }

    public GruConfig Config => Layout.Config;
    RecurrentConfig IRecurrentNetwork.Config => _shape;
    IReadOnlyList<ParameterTensor> IRecurrentNetwork.Tensors => Layout.Tensors;
    IRecurrentNetwork IRecurrentNetwork.Clone() => Clone();
    IRecurrentWorkspace IRecurrentNetwork.CreateWorkspace() => CreateWorkspace();
    public GruParameterLayout Layout { get; }

    /// <summary>All parameters, in <see cref="Layout"/> order. Call <see cref="ParametersChanged"/> after writing to it.</summary>
    public float[] Parameters { get; }

    /// <summary>
    /// Gradients from the last <see cref="GruWorkspace.Backward"/>, same layout as <see cref="Parameters"/>; allocated (zeroed)
    /// on first use, so a network that only forecasts never holds a second copy of its parameters' size.
    /// </summary>
    public float[] Gradients => _gradients ?? Interlocked.CompareExchange(ref _gradients, new float[Layout.TotalLength], null) ?? _gradients;

    /// <summary>Whether <see cref="Gradients"/> has been allocated.</summary>
    public bool HasGradients => _gradients is not null;

    /// <summary>The team that splits work across cores (defaults to the process-wide one).</summary>
    public WorkerTeam Team { get; set; } = WorkerTeam.Shared;

    public Span<float> Parameter(string name) { var t = Layout[name]; return Parameters.AsSpan(t.Offset, t.Length); }
    public Span<float> Gradient(string name) { var t = Layout[name]; return Gradients.AsSpan(t.Offset, t.Length); }

    /// <summary>Marks the packed weight copies stale; the next pass repacks them.</summary>
    public void ParametersChanged() => _packs.Invalidate();

    /// <summary>A network initialised like PyTorch: every weight and bias uniform in ±1/sqrt(H), drawn from <paramref name="seed"/> in layout order.</summary>
    public static GruNetwork Create(GruConfig config, ulong seed)
    {
        var net = new GruNetwork(config);
        var rng = new SeededRandom(seed);
        float bound = 1f / MathF.Sqrt(config.HiddenSize);
        var p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = rng.NextUniform(-bound, bound);
        net.ParametersChanged();
        return net;
    }

    /// <summary>Creates a workspace for this network (buffers grow on first use to the batch and length they see).</summary>
    public GruWorkspace CreateWorkspace() => new(this);

    /// <summary>Deep copy of parameters (not gradients) into a new network of the same shape.</summary>
    public GruNetwork Clone()
    {
        var copy = new GruNetwork(Config);
        Parameters.CopyTo(copy.Parameters, 0);
        copy.ParametersChanged();
        return copy;
    }

    /// <summary>The packed weights for the current parameter version (forward only, or forward and backward).</summary>
    internal GruPackedWeights GetPacked(bool forBackward) => _packs.Get(Parameters, forBackward);
}

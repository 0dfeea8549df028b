namespace LstmService.Kernels;

/// <summary>
/// A stacked LSTM (PyTorch parameter layout, gates i, f, g, o) with a dense head on the last hidden state.
/// Parameters and gradients are flat buffers described by <see cref="Layout"/>; the GEMM-ready packed copies
/// of the weights are rebuilt lazily after <see cref="ParametersChanged"/>.
/// Forward and backward run on an <see cref="LstmWorkspace"/> that owns every activation buffer, so a
/// reused workspace allocates nothing.
/// </summary>
public sealed class LstmNetwork : IRecurrentNetwork
{
    readonly PackedWeightsCache<PackedWeights> _packs;
    float[]? _gradients;

    public LstmNetwork(LstmConfig config)
    {
        var layout = Layout = new ParameterLayout(config);
        _packs = new(withBackward => new PackedWeights(layout, withBackward));
        Parameters = new float[Layout.TotalLength];
        _shape = RecurrentConfig.Of(config);
    }

    readonly RecurrentConfig _shape;

    public LstmConfig Config => Layout.Config;
    RecurrentConfig IRecurrentNetwork.Config => _shape;
    IReadOnlyList<ParameterTensor> IRecurrentNetwork.Tensors => Layout.Tensors;
    IRecurrentNetwork IRecurrentNetwork.Clone() => Clone();
    IRecurrentWorkspace IRecurrentNetwork.CreateWorkspace() => CreateWorkspace();
    public ParameterLayout Layout { get; }

    /// <summary>All parameters, in <see cref="Layout"/> order. Call <see cref="ParametersChanged"/> after writing to it.</summary>
    public float[] Parameters { get; }

    /// <summary>
    /// Gradients from the last <see cref="LstmWorkspace.Backward"/>, same layout as <see cref="Parameters"/>. Allocated (zeroed)
    /// on first use, so a network that only forecasts (a loaded model in the service's cache) never holds a second copy of
    /// its parameters' size.
    /// </summary>
    public float[] Gradients => _gradients ?? Interlocked.CompareExchange(ref _gradients, new float[Layout.TotalLength], null) ?? _gradients;

    /// <summary>Whether <see cref="Gradients"/> has been allocated.</summary>
    public bool HasGradients => _gradients is not null;

    /// <summary>The team that splits work across cores (defaults to the process-wide one).</summary>
    public WorkerTeam Team { get; set; } = WorkerTeam.Shared;

    public Span<float> Parameter(string name) { var t = Layout[name]; return Parameters.AsSpan(t.Offset, t.Length); }
    public Span<float> Gradient(string name) { var t = Layout[name]; return Gradients.AsSpan(t.Offset, t.Length); }

    /// <summary>Marks the packed weight copies stale; the next forward repacks them.</summary>
    public void ParametersChanged() => _packs.Invalidate();

    /// <summary>
    /// A network initialised like PyTorch: every weight and bias uniform in ±1/sqrt(H), drawn from <paramref name="seed"/>
    /// in layout order; optionally the forget-gate bias set to 1 (in bias_ih, with bias_hh's forget block 0).
    /// </summary>
    public static LstmNetwork Create(LstmConfig config, ulong seed, bool forgetBiasOne = false)
    {
        var net = new LstmNetwork(config);
        var rng = new SeededRandom(seed);
        float bound = 1f / MathF.Sqrt(config.HiddenSize);
        var p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = rng.NextUniform(-bound, bound);
        int h = config.HiddenSize;
        for (int l = 0; l < config.Layers; l++)
        {
            if (config.Peepholes) net.Parameter(ParameterLayout.Peephole(l)).Clear(); // peepholes start neutral
            if (forgetBiasOne)
            {
                net.Parameter(ParameterLayout.BiasIh(l)).Slice(h, h).Fill(1f);
                net.Parameter(ParameterLayout.BiasHh(l)).Slice(h, h).Clear();
            }
        }
        net.ParametersChanged();
        return net;
    }

    /// <summary>Creates a workspace for this network (buffers grow on first use to the batch and length they see).</summary>
    public LstmWorkspace CreateWorkspace() => new(this);

    /// <summary>Deep copy of parameters (not gradients) into a new network of the same shape.</summary>
    public LstmNetwork Clone()
    {
        var copy = new LstmNetwork(Config);
        Parameters.CopyTo(copy.Parameters, 0);
        copy.ParametersChanged();
        return copy;
    }

    /// <summary>The packed weights for the current parameter version (forward only, or forward and backward).</summary>
    internal PackedWeights GetPacked(bool forBackward) => _packs.Get(Parameters, forBackward);
}

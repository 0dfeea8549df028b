namespace LstmService.Kernels;

/// <summary>
/// A <see cref="GruNetwork"/>'s GEMM-ready weight panels (G = 3H). Unlike the LSTM's, the two biases are not summed:
/// b_hn belongs to the h-side row that the reset gate scales.
/// </summary>
internal sealed class GruPackedWeights : GatedPackedWeights
{
    readonly GruParameterLayout _layout;

    public GruPackedWeights(GruParameterLayout layout, bool withBackward)
        : base(layout.Config.InputSize, layout.Config.HiddenSize, layout.Config.Layers, layout.Config.OutputSize, 3 * layout.Config.HiddenSize, withBackward)
        => _layout = layout;

    public override void Pack(float[] parameters, int version)
    {
        ReadOnlySpan<float> Get(string name) { var t = _layout[name]; return parameters.AsSpan(t.Offset, t.Length); }
        for (int l = 0; l < _layout.Config.Layers; l++)
            PackLayer(l, Get(GruParameterLayout.WeightIh(l)), Get(GruParameterLayout.WeightHh(l)));
        PackHead(Get(GruParameterLayout.HeadWeight), version);
    }
}

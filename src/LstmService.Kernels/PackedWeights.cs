namespace LstmService.Kernels;

/// <summary>An LSTM's GEMM-ready weight panels (G = 4H) plus the summed biases the fused cell adds once.</summary>
internal sealed class PackedWeights : GatedPackedWeights
{
    readonly ParameterLayout _layout;

    public PackedWeights(ParameterLayout layout, bool withBackward)
        : base(layout.Config.InputSize, layout.Config.HiddenSize, layout.Config.Layers, layout.Config.OutputSize, 4 * layout.Config.HiddenSize, withBackward)
    {
        _layout = layout;
        var cfg = layout.Config;
        BiasSum = new AlignedBuffer[cfg.Layers];
        for (int l = 0; l < cfg.Layers; l++) BiasSum[l] = new AlignedBuffer(4 * cfg.HiddenSize);
    }

    public AlignedBuffer[] BiasSum { get; }    // bias_ih + bias_hh

    public override void Pack(float[] parameters, int version)
    {
        ReadOnlySpan<float> Get(string name) { var t = _layout[name]; return parameters.AsSpan(t.Offset, t.Length); }
        for (int l = 0; l < _layout.Config.Layers; l++)
        {
            PackLayer(l, Get(ParameterLayout.WeightIh(l)), Get(ParameterLayout.WeightHh(l)));
            System.Numerics.Tensors.TensorPrimitives.Add(Get(ParameterLayout.BiasIh(l)), Get(ParameterLayout.BiasHh(l)), BiasSum[l]);
        }
        PackHead(Get(ParameterLayout.HeadWeight), version);
    }
}

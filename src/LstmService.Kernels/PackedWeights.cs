namespace LstmService.Kernels;

/// <summary>GEMM-ready copies of the weights: Wᵀ panels for the forward pass, W panels for the backward pass, summed biases.</summary>
internal sealed class PackedWeights
{
    readonly ParameterLayout _layout;

    public PackedWeights(ParameterLayout layout, bool withBackward)
    {
        _layout = layout;
        var cfg = layout.Config;
        int h = cfg.HiddenSize, g = 4 * h;
        HasBackward = withBackward;
        InputRows = new AlignedBuffer[cfg.Layers];
        InputT = new AlignedBuffer[cfg.Layers]; RecurrentT = new AlignedBuffer[cfg.Layers]; BiasSum = new AlignedBuffer[cfg.Layers];
        Input = new AlignedBuffer[cfg.Layers]; Recurrent = new AlignedBuffer[cfg.Layers];
        for (int l = 0; l < cfg.Layers; l++)
        {
            int il = cfg.LayerInput(l);
            InputT[l] = new AlignedBuffer(Gemm.PackedLength(il, g));
            RecurrentT[l] = new AlignedBuffer(Gemm.PackedLength(h, g));
            BiasSum[l] = new AlignedBuffer(g);
            InputRows[l] = il <= NarrowInput ? new AlignedBuffer(il * g) : AlignedBuffer.Empty;
            Input[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, il)) : AlignedBuffer.Empty;
            Recurrent[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, h)) : AlignedBuffer.Empty;
        }
        HeadT = new AlignedBuffer(Gemm.PackedLength(h, cfg.OutputSize));
        Head = withBackward ? new AlignedBuffer(Gemm.PackedLength(cfg.OutputSize, h)) : AlignedBuffer.Empty;
    }

    /// <summary>Input widths up to this skip the input GEMM and use <see cref="InputRows"/> directly.</summary>
    public const int NarrowInput = 4;

    public int Version { get; private set; }
    public bool HasBackward { get; }
    public AlignedBuffer[] InputRows { get; }  // W_ihᵀ unpacked, [I, 4H], for narrow inputs only
    public AlignedBuffer[] InputT { get; }     // W_ihᵀ: K = I, N = 4H
    public AlignedBuffer[] RecurrentT { get; } // W_hhᵀ: K = H, N = 4H
    public AlignedBuffer[] BiasSum { get; }    // bias_ih + bias_hh
    public AlignedBuffer[] Input { get; }      // W_ih: K = 4H, N = I (dX = dG · W_ih)
    public AlignedBuffer[] Recurrent { get; }  // W_hh: K = 4H, N = H (dh = dG · W_hh)
    public AlignedBuffer HeadT { get; }        // head Wᵀ: K = H, N = O
    public AlignedBuffer Head { get; }         // head W: K = O, N = H

    public void Pack(float[] parameters, int version)
    {
        var cfg = _layout.Config;
        int h = cfg.HiddenSize, g = 4 * h;
        ReadOnlySpan<float> Get(string name) { var t = _layout[name]; return parameters.AsSpan(t.Offset, t.Length); }
        for (int l = 0; l < cfg.Layers; l++)
        {
            int il = cfg.LayerInput(l);
            var wih = Get(ParameterLayout.WeightIh(l));
            var whh = Get(ParameterLayout.WeightHh(l));
            Gemm.PackBTransposed(wih, il, g, InputT[l]);
            Gemm.PackBTransposed(whh, h, g, RecurrentT[l]);
            for (int j = 0; j < g && il <= NarrowInput; j++)
                for (int k = 0; k < il; k++) InputRows[l][k * g + j] = wih[j * il + k];
            System.Numerics.Tensors.TensorPrimitives.Add(Get(ParameterLayout.BiasIh(l)), Get(ParameterLayout.BiasHh(l)), BiasSum[l]);
            if (HasBackward)
            {
                Gemm.PackB(wih, il, g, il, Input[l]);
                Gemm.PackB(whh, h, g, h, Recurrent[l]);
            }
        }
        var hw = Get(ParameterLayout.HeadWeight);
        Gemm.PackBTransposed(hw, h, cfg.OutputSize, HeadT);
        if (HasBackward) Gemm.PackB(hw, h, cfg.OutputSize, h, Head);
        Version = version;
    }
}

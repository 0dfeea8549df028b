namespace LstmService.Kernels;

/// <summary>
/// GEMM-ready copies of a <see cref="GruNetwork"/>'s weights: Wᵀ panels for the forward pass, W panels for the backward
/// pass. Unlike the LSTM's, the two biases are not summed: b_hn belongs to the h-side row that the reset gate scales.
/// </summary>
internal sealed class GruPackedWeights
{
    readonly GruParameterLayout _layout;

    public GruPackedWeights(GruParameterLayout layout, bool withBackward)
    {
        _layout = layout;
        var cfg = layout.Config;
        int h = cfg.HiddenSize, g = 3 * h;
        HasBackward = withBackward;
        InputRows = new AlignedBuffer[cfg.Layers];
        InputT = new AlignedBuffer[cfg.Layers]; RecurrentT = new AlignedBuffer[cfg.Layers];
        Input = new AlignedBuffer[cfg.Layers]; Recurrent = new AlignedBuffer[cfg.Layers];
        for (int l = 0; l < cfg.Layers; l++)
        {
            int il = cfg.LayerInput(l);
            InputT[l] = new AlignedBuffer(Gemm.PackedLength(il, g));
            RecurrentT[l] = new AlignedBuffer(Gemm.PackedLength(h, g));
            InputRows[l] = il <= PackedWeights.NarrowInput ? new AlignedBuffer(il * g) : AlignedBuffer.Empty;
            Input[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, il)) : AlignedBuffer.Empty;
            Recurrent[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, h)) : AlignedBuffer.Empty;
        }
        HeadT = new AlignedBuffer(Gemm.PackedLength(h, cfg.OutputSize));
        Head = withBackward ? new AlignedBuffer(Gemm.PackedLength(cfg.OutputSize, h)) : AlignedBuffer.Empty;
    }

    public int Version { get; private set; }
    public bool HasBackward { get; }
    public AlignedBuffer[] InputRows { get; }  // W_ihᵀ unpacked, [I, 3H], for narrow inputs only
    public AlignedBuffer[] InputT { get; }     // W_ihᵀ: K = I, N = 3H
    public AlignedBuffer[] RecurrentT { get; } // W_hhᵀ: K = H, N = 3H
    public AlignedBuffer[] Input { get; }      // W_ih: K = 3H, N = I (dX = dGx · W_ih)
    public AlignedBuffer[] Recurrent { get; }  // W_hh: K = 3H, N = H (dh += dGh · W_hh)
    public AlignedBuffer HeadT { get; }        // head Wᵀ: K = H, N = O
    public AlignedBuffer Head { get; }         // head W: K = O, N = H

    public void Pack(float[] parameters, int version)
    {
        var cfg = _layout.Config;
        int h = cfg.HiddenSize, g = 3 * h;
        ReadOnlySpan<float> Get(string name) { var t = _layout[name]; return parameters.AsSpan(t.Offset, t.Length); }
        for (int l = 0; l < cfg.Layers; l++)
        {
            int il = cfg.LayerInput(l);
            var wih = Get(GruParameterLayout.WeightIh(l));
            var whh = Get(GruParameterLayout.WeightHh(l));
            Gemm.PackBTransposed(wih, il, g, InputT[l]);
            Gemm.PackBTransposed(whh, h, g, RecurrentT[l]);
            for (int j = 0; j < g && il <= PackedWeights.NarrowInput; j++)
                for (int k = 0; k < il; k++) InputRows[l][k * g + j] = wih[j * il + k];
            if (HasBackward)
            {
                Gemm.PackB(wih, il, g, il, Input[l]);
                Gemm.PackB(whh, h, g, h, Recurrent[l]);
            }
        }
        var hw = Get(GruParameterLayout.HeadWeight);
        Gemm.PackBTransposed(hw, h, cfg.OutputSize, HeadT);
        if (HasBackward) Gemm.PackB(hw, h, cfg.OutputSize, h, Head);
        Version = version;
    }
}

namespace LstmService.Kernels;

/// <summary>
/// The GEMM-ready weight panels an LSTM and a GRU both keep (their cells differ only in the number of gate rows G and in
/// biases), so the allocation and the packing of weights are written once. Wᵀ panels serve the forward pass, W panels
/// the backward pass.
/// </summary>
internal abstract class GatedPackedWeights : IPackedWeights
{
    readonly int _hidden, _gates, _output, _inputSize;

    protected GatedPackedWeights(int inputSize, int hidden, int layers, int output, int gates, bool withBackward)
    {
        _inputSize = inputSize; _hidden = hidden; _gates = gates; _output = output;
        int h = hidden, g = gates;
        HasBackward = withBackward;
        InputRows = new AlignedBuffer[layers];
        InputT = new AlignedBuffer[layers]; RecurrentT = new AlignedBuffer[layers];
        Input = new AlignedBuffer[layers]; Recurrent = new AlignedBuffer[layers];
        for (int l = 0; l < layers; l++)
        {
            int il = LayerInput(l);
            InputT[l] = new AlignedBuffer(Gemm.PackedLength(il, g));
            RecurrentT[l] = new AlignedBuffer(Gemm.PackedLength(h, g));
            InputRows[l] = il <= NarrowInput ? new AlignedBuffer(il * g) : AlignedBuffer.Empty;
            Input[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, il)) : AlignedBuffer.Empty;
            Recurrent[l] = withBackward ? new AlignedBuffer(Gemm.PackedLength(g, h)) : AlignedBuffer.Empty;
        }
        HeadT = new AlignedBuffer(Gemm.PackedLength(h, output));
        Head = withBackward ? new AlignedBuffer(Gemm.PackedLength(output, h)) : AlignedBuffer.Empty;
    }

    /// <summary>Input widths up to this skip the input GEMM and use <see cref="InputRows"/> directly.</summary>
    public const int NarrowInput = 4;

    public int Version { get; private set; }
    public bool HasBackward { get; }
    public AlignedBuffer[] InputRows { get; }  // W_ihᵀ unpacked, [I, G], for narrow inputs only
    public AlignedBuffer[] InputT { get; }     // W_ihᵀ: K = I, N = G
    public AlignedBuffer[] RecurrentT { get; } // W_hhᵀ: K = H, N = G
    public AlignedBuffer[] Input { get; }      // W_ih: K = G, N = I (dX = dG · W_ih)
    public AlignedBuffer[] Recurrent { get; }  // W_hh: K = G, N = H (dh += dG · W_hh)
    public AlignedBuffer HeadT { get; }        // head Wᵀ: K = H, N = O
    public AlignedBuffer Head { get; }         // head W: K = O, N = H

    public abstract void Pack(float[] parameters, int version);

    int LayerInput(int layer) => layer == 0 ? _inputSize : _hidden;

    /// <summary>Packs layer <paramref name="l"/>'s W_ih [G, I] and W_hh [G, H].</summary>
    protected void PackLayer(int l, ReadOnlySpan<float> wih, ReadOnlySpan<float> whh)
    {
        int il = LayerInput(l), h = _hidden, g = _gates;
        Gemm.PackBTransposed(wih, il, g, InputT[l]);
        Gemm.PackBTransposed(whh, h, g, RecurrentT[l]);
        for (int j = 0; j < g && il <= NarrowInput; j++)
            for (int k = 0; k < il; k++) InputRows[l][k * g + j] = wih[j * il + k];
        if (HasBackward)
        {
            Gemm.PackB(wih, il, g, il, Input[l]);
            Gemm.PackB(whh, h, g, h, Recurrent[l]);
        }
    }

    /// <summary>Packs the head's weight [O, H] and stamps the copies with <paramref name="version"/> (call last).</summary>
    protected void PackHead(ReadOnlySpan<float> hw, int version)
    {
        Gemm.PackBTransposed(hw, _hidden, _output, HeadT);
        if (HasBackward) Gemm.PackB(hw, _hidden, _output, _hidden, Head);
        Version = version;
    }
}

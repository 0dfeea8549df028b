using System.Numerics.Tensors;
using static LstmService.Kernels.AlignedBuffer;

namespace LstmService.Kernels;

/// <summary>
/// Every buffer one forward/backward pass of an <see cref="LstmNetwork"/> needs, sized on first use and reused.
/// Work is split across the network's <see cref="WorkerTeam"/>: forward and the backward recurrence by batch rows
/// (rows are independent, so each thread runs the whole sequence with no synchronisation), weight gradients by gate
/// rows of dW after all rows are done. Every output element is computed the same way whatever the split, so results
/// are bit-identical for any thread count.
/// Layouts are batch-first like PyTorch's batch_first=True: x [B, T, I], sequence outputs [B, T, H], states [L, B, H].
/// </summary>
public sealed partial class LstmWorkspace : IPartitionedWork, IRecurrentWorkspace
{
    enum Phase { Forward, ForwardPipelined, Backward, WeightGradients }

    readonly LstmNetwork _net;
    readonly LstmConfig _cfg;
    readonly int _h, _g, _layers;

    int _capRows, _capBatch, _capGateRows, _capCellRows;
    AlignedBuffer _x0 = AlignedBuffer.Empty, _out = AlignedBuffer.Empty, _dOut = AlignedBuffer.Empty, _dX0 = AlignedBuffer.Empty,
        _dH0 = AlignedBuffer.Empty, _dC0 = AlignedBuffer.Empty, _dHrec = AlignedBuffer.Empty, _dC = AlignedBuffer.Empty, _packHeadIn = AlignedBuffer.Empty;
    readonly AlignedBuffer[] _gates, _cell, _tanhC, _y, _h0, _c0, _dropped, _mask, _dY, _packX, _packHprev;

    Phase _phase;
    PackedWeights? _packedW;
    bool _hasInitialState, _dropout, _hasFinalStateGrad, _accumulate, _keepActivations, _stepScratch;
    ulong _dropoutSeed;
    int _threads = 1;
    int _pipelineSplit;
    volatile bool _wavefrontFailed;
    bool _gatesHoldGradients;
    readonly int[] _progress;

    internal LstmWorkspace(LstmNetwork net)
    {
        _net = net;
        _cfg = net.Config;
        _h = _cfg.HiddenSize; _g = 4 * _h; _layers = _cfg.Layers;
        _gates = Jagged(); _cell = Jagged(); _tanhC = Jagged(); _y = Jagged(); _h0 = Jagged(); _c0 = Jagged();
        _dropped = Jagged(); _mask = Jagged(); _dY = Jagged(); _packX = Jagged(); _packHprev = Jagged();
        _progress = new int[_layers];
        AlignedBuffer[] Jagged() { var a = new AlignedBuffer[_layers]; Array.Fill(a, AlignedBuffer.Empty); return a; }
    }

    public int Batch { get; private set; }
    public int Steps { get; private set; }

    /// <summary>Maximum number of threads a pass may use (1 forces single-threaded; results are the same).</summary>
    public int MaxThreads { get; set; } = int.MaxValue;

    /// <summary>Head outputs [B, O] of the last forward pass.</summary>
    public ReadOnlySpan<float> Output => _out.AsSpan(0, Batch * _cfg.OutputSize);

    /// <summary>Hidden states h_t of layer <paramref name="layer"/> for every step, [B, T, H].</summary>
    public ReadOnlySpan<float> LayerOutput(int layer) => _y[layer].AsSpan(0, Batch * Steps * _h);

    /// <summary>Gradient with respect to the input sequence [B, T, I] after <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> InputGradient => _dX0.Length == 0 ? default : _dX0.AsSpan(0, Batch * Steps * _cfg.InputSize);

    /// <summary>Gradients with respect to h0 and c0, [L, B, H], after <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> InitialHiddenGradient => _dH0.Length == 0 ? default : _dH0.AsSpan(0, _layers * Batch * _h);
    public ReadOnlySpan<float> InitialCellGradient => _dC0.Length == 0 ? default : _dC0.AsSpan(0, _layers * Batch * _h);

    /// <summary>Copies the final states (h_n, c_n), each [L, B, H].</summary>
    public void FinalState(Span<float> hn, Span<float> cn)
    {
        int b = Batch, t = Steps, h = _h;
        if (hn.Length < _layers * b * h || cn.Length < _layers * b * h) throw new ArgumentException("h_n and c_n must hold L x B x H values.");
        for (int l = 0; l < _layers; l++)
            for (int r = 0; r < b; r++)
            {
                _y[l].AsSpan((r * t + t - 1) * h, h).CopyTo(hn.Slice((l * b + r) * h, h));
                _cell[l].AsSpan(CellRow(r, t - 1) * h, h).CopyTo(cn.Slice((l * b + r) * h, h));
            }
    }

    /// <summary>
    /// Runs the network over x [B, T, I] from (h0, c0) [L, B, H] (empty: zeros). With <paramref name="training"/>
    /// dropout between layers is drawn from <paramref name="dropoutSeed"/>; the activations are kept for <see cref="Backward"/> either way.
    /// </summary>
    public void Forward(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0 = default, ReadOnlySpan<float> c0 = default,
        bool training = false, ulong dropoutSeed = 0)
        => Run(x, batch, steps, h0, c0, training, dropoutSeed, keepActivations: true);

    /// <summary>
    /// Forward for inference only: the same outputs, bit for bit, as <see cref="Forward"/> without training, but the gates and
    /// cell states of a step are dropped once the next step has used them, so a large batch works in cache instead of
    /// streaming every step's activations to memory. <see cref="Backward"/> needs a <see cref="Forward"/> instead.
    /// </summary>
    public void Infer(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0 = default, ReadOnlySpan<float> c0 = default)
        => Run(x, batch, steps, h0, c0, training: false, dropoutSeed: 0, keepActivations: false);

    void IRecurrentWorkspace.Forward(ReadOnlySpan<float> x, int batch, int steps, bool training, ulong dropoutSeed) =>
        Forward(x, batch, steps, training: training, dropoutSeed: dropoutSeed);
    void IRecurrentWorkspace.Infer(ReadOnlySpan<float> x, int batch, int steps) => Infer(x, batch, steps);
    void IRecurrentWorkspace.Backward(ReadOnlySpan<float> outputGradient) => Backward(outputGradient);

    void Run(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0,
        bool training, ulong dropoutSeed, bool keepActivations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int i0 = _cfg.InputSize;
        if (x.Length != batch * steps * i0) throw new ArgumentException($"x must hold B x T x I = {batch * steps * i0} values, not {x.Length}.", nameof(x));
        int stateLen = _layers * batch * _h;
        if (!h0.IsEmpty && h0.Length != stateLen) throw new ArgumentException($"h0 must be empty or hold L x B x H = {stateLen} values.", nameof(h0));
        if (!c0.IsEmpty && c0.Length != stateLen) throw new ArgumentException($"c0 must be empty or hold L x B x H = {stateLen} values.", nameof(c0));
        _dropout = training && _cfg.Dropout > 0f && _layers > 1;
        _threads = RowThreads(batch, steps);
        _pipelineSplit = _threads == 1 && !_dropout ? PipelineSplit(batch, steps) : 0;
        // The wavefront computes the upper layer's gates a few steps ahead, so it keeps every step's gates.
        _stepScratch = !keepActivations && _pipelineSplit == 0;
        Ensure(batch, steps, _stepScratch);
        Batch = batch; Steps = steps;
        _keepActivations = keepActivations;
        x.CopyTo(_x0);
        _hasInitialState = !h0.IsEmpty || !c0.IsEmpty;
        _gatesHoldGradients = false;
        for (int l = 0; l < _layers; l++)
        {
            var hs = _h0[l].AsSpan(0, batch * _h);
            var cs = _c0[l].AsSpan(0, batch * _h);
            if (h0.IsEmpty) hs.Clear(); else h0.Slice(l * batch * _h, batch * _h).CopyTo(hs);
            if (c0.IsEmpty) cs.Clear(); else c0.Slice(l * batch * _h, batch * _h).CopyTo(cs);
        }
        _dropoutSeed = dropoutSeed;
        _packedW = _net.GetPacked(forBackward: false);
        if (_pipelineSplit > 0)
        {
            // Too few rows to split: run the layers as a wavefront instead, lower layers on one core, upper on the other.
            Array.Clear(_progress);
            _wavefrontFailed = false;
            _phase = Phase.ForwardPipelined;
            _net.Team.Run(this, 2);
        }
        else
        {
            _phase = Phase.Forward;
            _net.Team.Run(this, _threads);
        }
    }

    /// <summary>
    /// Back-propagates dL/d(head output) [B, O] and, optionally, dL/d(last layer's sequence) [B, T, H] and
    /// dL/d(h_n, c_n) [L, B, H] through the last <see cref="Forward"/>. Parameter gradients go to
    /// <see cref="LstmNetwork.Gradients"/> (added to what is there with <paramref name="accumulate"/>).
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> sequenceGradient = default,
        ReadOnlySpan<float> finalHiddenGradient = default, ReadOnlySpan<float> finalCellGradient = default, bool accumulate = false)
    {
        if (Batch == 0 || !_keepActivations) throw new InvalidOperationException("Backward needs a Forward first (Infer keeps no activations).");
        // Backward turns the stored gates into their gradients, so a second Backward needs a fresh Forward.
        if (_gatesHoldGradients) throw new InvalidOperationException("Backward was already run for this Forward; run Forward again.");
        int b = Batch, t = Steps, o = _cfg.OutputSize, stateLen = _layers * b * _h;
        if (outputGradient.Length != b * o) throw new ArgumentException($"Output gradient must hold B x O = {b * o} values.", nameof(outputGradient));
        if (!sequenceGradient.IsEmpty && sequenceGradient.Length != b * t * _h) throw new ArgumentException($"Sequence gradient must be empty or hold B x T x H = {b * t * _h} values.", nameof(sequenceGradient));
        if (!finalHiddenGradient.IsEmpty && finalHiddenGradient.Length != stateLen) throw new ArgumentException("h_n gradient must be empty or hold L x B x H values.", nameof(finalHiddenGradient));
        if (!finalCellGradient.IsEmpty && finalCellGradient.Length != stateLen) throw new ArgumentException("c_n gradient must be empty or hold L x B x H values.", nameof(finalCellGradient));
        EnsureBackward();
        outputGradient.CopyTo(_dOut);
        var dy = _dY[_layers - 1].AsSpan(0, b * t * _h);
        if (sequenceGradient.IsEmpty) dy.Clear(); else sequenceGradient.CopyTo(dy);
        _hasFinalStateGrad = !finalHiddenGradient.IsEmpty || !finalCellGradient.IsEmpty;
        // dH0/dC0 hold dL/d(h_n, c_n) going in and dL/d(h0, c0) coming out, per layer.
        if (finalHiddenGradient.IsEmpty) _dH0.AsSpan(0, stateLen).Clear(); else finalHiddenGradient.CopyTo(_dH0);
        if (finalCellGradient.IsEmpty) _dC0.AsSpan(0, stateLen).Clear(); else finalCellGradient.CopyTo(_dC0);
        _accumulate = accumulate;
        _packedW = _net.GetPacked(forBackward: true);
        _phase = Phase.Backward;
        _gatesHoldGradients = true;
        _net.Team.Run(this, _threads);
        _phase = Phase.WeightGradients;
        _net.Team.Run(this, Math.Min(_net.Team.Size, Math.Min(MaxThreads, _g >= 4 * Gemm.TileRows ? 2 : 1)));
    }

    int RowThreads(int batch, int steps)
    {
        // Splitting pays once each part has a few hundred thousand flops; below that the handoff dominates.
        long flops = 8L * batch * steps * _h * (_cfg.InputSize + _h * _layers);
        int threads = flops < 400_000 ? 1 : Math.Min(batch, _net.Team.Size);
        return Math.Max(1, Math.Min(threads, MaxThreads));
    }

    /// <summary>First layer of the upper half when a layer wavefront pays (two cores, two or more layers, enough work); 0 otherwise.</summary>
    int PipelineSplit(int batch, int steps)
    {
        if (_layers < 2 || _net.Team.Size < 2 || MaxThreads < 2) return 0;
        long flops = 8L * batch * steps * _h * (_cfg.InputSize + _h * _layers);
        if (flops < 400_000) return 0;
        // Balance the layers' cost, proportional to their input width plus H.
        long total = 0;
        for (int l = 0; l < _layers; l++) total += _cfg.LayerInput(l) + _h;
        long lower = 0;
        int split = 1;
        for (int l = 0; l < _layers - 1; l++)
        {
            lower += _cfg.LayerInput(l) + _h;
            split = l + 1;
            if (2 * lower >= total) break;
        }
        return split;
    }

    void IPartitionedWork.Execute(int part, int parts)
    {
        switch (_phase)
        {
            case Phase.Forward: ForwardRows(part, parts); break;
            case Phase.ForwardPipelined: ForwardWavefront(part); break;
            case Phase.Backward: BackwardRows(part, parts); break;
            default: WeightGradients(part, parts); break;
        }
    }

    ReadOnlySpan<float> LayerInput(int l) => l == 0 ? _x0 : _dropout ? _dropped[l] : _y[l - 1];

    ReadOnlySpan<float> Peepholes(int l) => _cfg.Peepholes ? _net.Parameter(ParameterLayout.Peephole(l)) : default;

    void ForwardRows(int part, int parts)
    {
        var (b0, b1) = WorkPartition.Split(Batch, part, parts);
        if (b1 == b0) return;
        int t = Steps;
        for (int l = 0; l < _layers; l++)
        {
            if (_dropout && l > 0) ApplyDropout(l, b0, b1);
            // One input-projection GEMM for every step of these rows, unless the input is so narrow that the GEMM
            // would be all memory traffic over the gate buffer (then each step adds its few products in cache), or
            // the gates only hold one step.
            bool perStep = IsNarrow(l) || _stepScratch;
            if (!perStep) InputProjection(l, 0, t, b0, b1);
            for (int s = 0; s < t; s++)
            {
                if (perStep) InputProjection(l, s, s + 1, b0, b1);
                StepRows(l, s, b0, b1);
            }
        }
        HeadForward(b0, b1);
    }

    /// <summary>Row of step <paramref name="s"/> of sequence <paramref name="r"/> in a layer's gate buffer: one row per step, or per sequence when only one step is kept.</summary>
    int GateRow(int r, int s) => _stepScratch ? r : r * Steps + s;

    /// <summary>Row of c_t (and tanh c_t): one per step, or two per sequence (this step and the previous) when only one step is kept.</summary>
    int CellRow(int r, int s) => _stepScratch ? (s & 1) * Batch + r : r * Steps + s;

    bool IsNarrow(int l) => _cfg.LayerInput(l) <= PackedWeights.NarrowInput;

    /// <summary>Dense head on the last step of the last layer, for rows [b0, b1).</summary>
    void HeadForward(int b0, int b1)
    {
        int nb = b1 - b0, t = Steps, h = _h, o = _cfg.OutputSize;
        var outRows = _out.AsSpan(b0 * o, nb * o);
        var headBias = _net.Parameter(ParameterLayout.HeadBias);
        for (int b = 0; b < nb; b++) headBias.CopyTo(outRows.Slice(b * o, o));
        Gemm.Multiply(nb, o, h, _y[_layers - 1].AsSpan(((b0 * t) + t - 1) * h), t * h, 1, _packedW!.HeadT, outRows, o, accumulate: true);
    }

    /// <summary>
    /// Part 0 runs layers [0, split) and part 1 layers [split, L), step by step; a layer waits only for the layer below
    /// to finish the same step. Each element is still bias + input products + recurrent products in the same order
    /// as <see cref="ForwardRows"/>, so the results are identical.
    /// </summary>
    void ForwardWavefront(int part)
    {
        try { ForwardWavefrontLayers(part); }
        catch
        {
            _wavefrontFailed = true; // releases the other part if it is waiting on this one
            throw;
        }
    }

    void ForwardWavefrontLayers(int part)
    {
        int split = _pipelineSplit;
        int l0 = part == 0 ? 0 : split, l1 = part == 0 ? split : _layers;
        int t = Steps, b = Batch;
        // The upper part's first input projection is computed a few steps per GEMM, so its weights are streamed once
        // per chunk instead of once per step (small batches are bound by weight bandwidth); the lower part takes the
        // first half of its gate columns, the upper part the rest just before its recurrent steps, to balance the cores.
        int chunkStart = 0;
        int half = Math.Min(_g, (_g / 2 + KernelInfo.PanelWidth - 1) / KernelInfo.PanelWidth * KernelInfo.PanelWidth);
        for (int s = 0; s < t; s++)
        {
            for (int l = l0; l < l1; l++)
            {
                if (l == l0 && part == 1)
                {
                    while (Volatile.Read(ref _progress[l - 1]) <= s)
                    {
                        if (_wavefrontFailed) throw new InvalidOperationException("The lower layers of the wavefront failed.");
                        Thread.SpinWait(8);
                    }
                    if (s == chunkStart)
                    {
                        int end = ChunkEnd(s, t);
                        InputProjection(l, s, end, 0, b, half, _g);
                        chunkStart = end;
                    }
                }
                else
                {
                    InputProjection(l, s, s + 1, 0, b);
                }
                StepRows(l, s, 0, b);
            }
            if (part == 0 && s + 1 == ChunkEnd(chunkStart, t))
            {
                InputProjection(l1, chunkStart, s + 1, 0, b, 0, half);
                chunkStart = s + 1;
                Volatile.Write(ref _progress[l1 - 1], s + 1);
            }
        }
        if (l1 == _layers) HeadForward(0, b);
    }

    /// <summary>
    /// End of the wavefront chunk that starts at step <paramref name="start"/>: up to 8 steps, but short at both ends so
    /// the upper part starts after one lower step and finishes one upper step after the lower part (1, 2, 4, 8, ..., 4, 2, 1).
    /// </summary>
    static int ChunkEnd(int start, int steps) => start + Math.Clamp(Math.Min(start + 1, (steps - start) / 2), 1, 8);

    /// <summary>
    /// Gates of steps [s0, s1) and rows [b0, b1) of layer <paramref name="l"/> = bias + input projection. Narrow inputs
    /// take I fused multiply-adds per gate (the same chain a GEMM computes, so results do not depend on the path);
    /// wider ones one GEMM over all rows and steps when they are contiguous, one over the rows of a single step, or one per row.
    /// </summary>
    void InputProjection(int l, int s0, int s1, int b0, int b1, int c0 = 0, int c1 = -1)
    {
        int t = Steps, g = _g, il = _cfg.LayerInput(l), n = s1 - s0;
        if (c1 < 0) c1 = g;
        int w = c1 - c0;
        var pw = _packedW!;
        var gates = _gates[l].AsSpan();
        var input = LayerInput(l);
        var bias = pw.BiasSum[l].AsSpan(c0, w);
        if (IsNarrow(l))
        {
            var rows = pw.InputRows[l].AsSpan(c0);
            for (int r = b0; r < b1; r++)
                for (int s = s0; s < s1; s++)
                    Gemm.BiasPlusNarrowProduct(bias, input.Slice((r * t + s) * il, il), rows, g, gates.Slice(GateRow(r, s) * g + c0, w));
            return;
        }
        for (int r = b0; r < b1; r++)
            for (int s = s0; s < s1; s++) bias.CopyTo(gates.Slice(GateRow(r, s) * g + c0, w));
        // Column ranges start on a panel boundary, so the packed weights are sliced at a whole panel.
        var packed = pw.InputT[l].AsSpan(c0 / KernelInfo.PanelWidth * il * KernelInfo.PanelWidth);
        if (n == t)
            Gemm.Multiply((b1 - b0) * t, w, il, input[(b0 * t * il)..], il, 1, packed, gates[(b0 * t * g + c0)..], g, accumulate: true);
        else if (n == 1)
            Gemm.Multiply(b1 - b0, w, il, input[((b0 * t + s0) * il)..], t * il, 1, packed, gates[(GateRow(b0, s0) * g + c0)..], GateStride * g, accumulate: true);
        else
            for (int r = b0; r < b1; r++)
                Gemm.Multiply(n, w, il, input[((r * t + s0) * il)..], il, 1, packed, gates[((r * t + s0) * g + c0)..], g, accumulate: true);
    }

    /// <summary>Gate rows between one sequence and the next at the same step.</summary>
    int GateStride => _stepScratch ? 1 : Steps;

    /// <summary>Recurrent product and cell update of step <paramref name="s"/> for rows [b0, b1) of layer <paramref name="l"/>.</summary>
    void StepRows(int l, int s, int b0, int b1)
    {
        int nb = b1 - b0, t = Steps, h = _h, g = _g;
        var pw = _packedW!;
        var gates = _gates[l].AsSpan(); var cell = _cell[l].AsSpan(); var tanhC = _tanhC[l].AsSpan(); var y = _y[l].AsSpan();
        var peep = Peepholes(l);
        var stepGates = gates[(GateRow(b0, s) * g)..];
        if (s > 0)
            Gemm.Multiply(nb, g, h, y[((b0 * t + s - 1) * h)..], t * h, 1, pw.RecurrentT[l], stepGates, GateStride * g, accumulate: true);
        else if (_hasInitialState)
            Gemm.Multiply(nb, g, h, _h0[l].AsSpan(b0 * h), h, 1, pw.RecurrentT[l], stepGates, GateStride * g, accumulate: true);
        for (int b = b0; b < b1; b++)
        {
            int row = CellRow(b, s);
            ReadOnlySpan<float> cPrev = s == 0 ? _c0[l].AsSpan(b * h, h) : cell.Slice(CellRow(b, s - 1) * h, h);
            LstmCell.Forward(gates.Slice(GateRow(b, s) * g, g), cPrev, peep, cell.Slice(row * h, h), tanhC.Slice(row * h, h), y.Slice((b * t + s) * h, h));
        }
    }

    void ApplyDropout(int l, int b0, int b1)
    {
        int h = _h, t = Steps;
        WorkPartition.Dropout(_dropoutSeed, l, _cfg.Dropout, _y[l - 1], _dropped[l], _mask[l], b0 * t * h, b1 * t * h);
    }
}

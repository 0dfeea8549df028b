using static LstmService.Kernels.AlignedBuffer;

namespace LstmService.Kernels;

/// <summary>
/// Every buffer one forward/backward pass of a <see cref="GruNetwork"/> needs, sized on first use and reused, split
/// across the network's <see cref="WorkerTeam"/> the way <see cref="LstmWorkspace"/> splits it: forward and the backward
/// recurrence by batch rows (each thread runs the whole sequence for its rows), weight gradients by gate rows of dW.
/// Every output element is computed by the same FMA chain whatever the split, so results are bit-identical for any
/// thread count. Per layer it keeps two gate rows per step: the x side (W_ih·x + b_ih, activated in place) and the h
/// side (W_hh·h + b_hh), which the reset gate needs apart. Layouts are batch-first: x [B, T, I], outputs [B, T, H],
/// states [L, B, H].
/// </summary>
public sealed partial class GruWorkspace : IPartitionedWork, IRecurrentWorkspace
{
    enum Phase { Forward, Backward, WeightGradients }

    readonly GruNetwork _net;
    readonly GruConfig _cfg;
    readonly int _h, _g, _layers;

    int _capRows, _capBatch, _capGateRows;
    AlignedBuffer _x0 = AlignedBuffer.Empty, _out = AlignedBuffer.Empty, _dOut = AlignedBuffer.Empty, _dX0 = AlignedBuffer.Empty,
        _dH0 = AlignedBuffer.Empty, _dHrec = AlignedBuffer.Empty, _packHeadIn = AlignedBuffer.Empty;
    readonly AlignedBuffer[] _gx, _gh, _y, _h0, _dropped, _mask, _dY, _packX, _packHprev;

    Phase _phase;
    GruPackedWeights? _packedW;
    bool _hasInitialState, _dropout, _accumulate, _gatesHoldGradients, _stepScratch;
    ulong _dropoutSeed;
    int _threads = 1;

    internal GruWorkspace(GruNetwork net)
    {
        _net = net;
        _cfg = net.Config;
        _h = _cfg.HiddenSize; _g = 3 * _h; _layers = _cfg.Layers;
        _gx = Jagged(); _gh = Jagged(); _y = Jagged(); _h0 = Jagged(); _dropped = Jagged(); _mask = Jagged(); _dY = Jagged();
        _packX = Jagged(); _packHprev = Jagged();
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

    /// <summary>Gradient with respect to h0, [L, B, H], after <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> InitialHiddenGradient => _dH0.Length == 0 ? default : _dH0.AsSpan(0, _layers * Batch * _h);

    /// <summary>Copies the final state h_n, [L, B, H].</summary>
    public void FinalState(Span<float> hn)
    {
        int b = Batch, t = Steps, h = _h;
        if (hn.Length < _layers * b * h) throw new ArgumentException("h_n must hold L x B x H values.", nameof(hn));
        for (int l = 0; l < _layers; l++)
            for (int r = 0; r < b; r++)
                _y[l].AsSpan((r * t + t - 1) * h, h).CopyTo(hn.Slice((l * b + r) * h, h));
    }

    /// <summary>
    /// Runs the network over x [B, T, I] from h0 [L, B, H] (empty: zeros). With <paramref name="training"/> dropout between
    /// layers is drawn from <paramref name="dropoutSeed"/>; the activations are kept for <see cref="Backward"/>.
    /// </summary>
    public void Forward(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0 = default, bool training = false, ulong dropoutSeed = 0)
        => Run(x, batch, steps, h0, training, dropoutSeed, keepActivations: true);

    /// <summary>
    /// Forward for inference only: the same outputs, bit for bit, as <see cref="Forward"/> without training, but the gate
    /// rows of a step are overwritten by the next step (one row pair per sequence instead of one per step), so a large
    /// batch works in cache. <see cref="Backward"/> needs a <see cref="Forward"/> instead.
    /// </summary>
    public void Infer(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0 = default)
        => Run(x, batch, steps, h0, training: false, dropoutSeed: 0, keepActivations: false);

    void IRecurrentWorkspace.Forward(ReadOnlySpan<float> x, int batch, int steps, bool training, ulong dropoutSeed) =>
        Forward(x, batch, steps, training: training, dropoutSeed: dropoutSeed);
    void IRecurrentWorkspace.Infer(ReadOnlySpan<float> x, int batch, int steps) => Infer(x, batch, steps);
    void IRecurrentWorkspace.Backward(ReadOnlySpan<float> outputGradient) => Backward(outputGradient);

    void Run(ReadOnlySpan<float> x, int batch, int steps, ReadOnlySpan<float> h0, bool training, ulong dropoutSeed, bool keepActivations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int i0 = _cfg.InputSize, stateLen = _layers * batch * _h;
        if (x.Length != batch * steps * i0) throw new ArgumentException($"x must hold B x T x I = {batch * steps * i0} values, not {x.Length}.", nameof(x));
        if (!h0.IsEmpty && h0.Length != stateLen) throw new ArgumentException($"h0 must be empty or hold L x B x H = {stateLen} values.", nameof(h0));
        _stepScratch = !keepActivations;
        Ensure(batch, steps, _stepScratch);
        Batch = batch; Steps = steps;
        x.CopyTo(_x0);
        _hasInitialState = !h0.IsEmpty;
        _gatesHoldGradients = false;
        for (int l = 0; l < _layers; l++)
        {
            var hs = _h0[l].AsSpan(0, batch * _h);
            if (h0.IsEmpty) hs.Clear(); else h0.Slice(l * batch * _h, batch * _h).CopyTo(hs);
        }
        _dropout = training && _cfg.Dropout > 0f && _layers > 1;
        _dropoutSeed = dropoutSeed;
        _packedW = _net.GetPacked(forBackward: false);
        _threads = RowThreads(batch, steps);
        _phase = Phase.Forward;
        _net.Team.Run(this, _threads);
    }

    int RowThreads(int batch, int steps)
    {
        // Splitting pays once each part has a few hundred thousand flops; below that the handoff dominates.
        long flops = 6L * batch * steps * _h * (_cfg.InputSize + _h * _layers);
        int threads = flops < 400_000 ? 1 : Math.Min(batch, _net.Team.Size);
        return Math.Max(1, Math.Min(threads, MaxThreads));
    }

    /// <summary>
    /// Grows the buffers a forward pass of <paramref name="batch"/> x <paramref name="steps"/> uses. With
    /// <paramref name="stepScratch"/> the gate rows hold one step (<see cref="GateRow"/>), so an inference-only workspace
    /// (a cached model's) allocates a sixth of the gate memory per step it would otherwise hold: 6H floats per sequence, not per row.
    /// </summary>
    void Ensure(int batch, int steps, bool stepScratch)
    {
        _capRows = Math.Max(batch * steps, _capRows);
        _capBatch = Math.Max(batch, _capBatch);
        _capGateRows = Math.Max(stepScratch ? batch : batch * steps, _capGateRows);
        int cr = _capRows, cb = _capBatch, h = _h, g = _g;
        Grow(ref _x0, cr * _cfg.InputSize);
        Grow(ref _out, cb * _cfg.OutputSize);
        for (int l = 0; l < _layers; l++)
        {
            Grow(ref _gx[l], _capGateRows * g);
            Grow(ref _gh[l], _capGateRows * g);
            Grow(ref _y[l], cr * h);
            Grow(ref _h0[l], cb * h);
            if (l > 0 && _cfg.Dropout > 0f)
            {
                Grow(ref _dropped[l], cr * h);
                Grow(ref _mask[l], cr * h);
            }
        }
    }

    /// <summary>
    /// The buffers only <see cref="Backward"/> uses, grown to the largest forward seen: a workspace that only infers (a
    /// cached model's) never allocates them (as <see cref="LstmWorkspace"/>'s).
    /// </summary>
    void EnsureBackward()
    {
        int cr = _capRows, cb = _capBatch, h = _h;
        Grow(ref _dX0, cr * _cfg.InputSize);
        Grow(ref _dOut, cb * _cfg.OutputSize);
        Grow(ref _dH0, _layers * cb * h);
        Grow(ref _dHrec, cb * h);
        Grow(ref _packHeadIn, Gemm.PackedLength(cb, h));
        for (int l = 0; l < _layers; l++)
        {
            Grow(ref _dY[l], cr * h);
            Grow(ref _packX[l], Gemm.PackedLength(cr, _cfg.LayerInput(l)));
            Grow(ref _packHprev[l], Gemm.PackedLength(cr, h));
        }
    }

    void IPartitionedWork.Execute(int part, int parts)
    {
        switch (_phase)
        {
            case Phase.Forward: ForwardRows(part, parts); break;
            case Phase.Backward: BackwardRows(part, parts); break;
            default: WeightGradients(part, parts); break;
        }
    }

    ReadOnlySpan<float> LayerInput(int l) => l == 0 ? _x0 : _dropout ? _dropped[l] : _y[l - 1];

    bool IsNarrow(int l) => _cfg.LayerInput(l) <= PackedWeights.NarrowInput;

    void ForwardRows(int part, int parts)
    {
        var (b0, b1) = WorkPartition.Split(Batch, part, parts);
        if (b1 == b0) return;
        int t = Steps, h = _h;
        for (int l = 0; l < _layers; l++)
        {
            if (_dropout && l > 0) WorkPartition.Dropout(_dropoutSeed, l, _cfg.Dropout, _y[l - 1], _dropped[l], _mask[l], b0 * t * h, b1 * t * h);
            // One input-projection GEMM for every step of these rows, unless the gate rows only hold one step.
            if (!_stepScratch) InputProjection(l, 0, t, b0, b1);
            for (int s = 0; s < t; s++)
            {
                if (_stepScratch) InputProjection(l, s, s + 1, b0, b1);
                StepRows(l, s, b0, b1);
            }
        }
        HeadForward(b0, b1);
    }

    /// <summary>Gate row of step <paramref name="s"/> of sequence <paramref name="r"/>: one per step, or one per sequence when only one step is kept.</summary>
    int GateRow(int r, int s) => _stepScratch ? r : r * Steps + s;

    /// <summary>Gate rows between one sequence and the next at the same step.</summary>
    int GateStride => _stepScratch ? 1 : Steps;

    /// <summary>
    /// x-side gates of steps [s0, s1) of rows [b0, b1) = b_ih + W_ih·x: all steps in one GEMM, one step's rows in one
    /// GEMM, or for a narrow input its few FMAs per gate in one pass. Each element is the same chain (bias, then k in
    /// order) on every path, so neither the path nor the split changes results.
    /// </summary>
    void InputProjection(int l, int s0, int s1, int b0, int b1)
    {
        int t = Steps, g = _g, il = _cfg.LayerInput(l);
        var gx = _gx[l].AsSpan();
        var input = LayerInput(l);
        ReadOnlySpan<float> bias = _net.Parameter(GruParameterLayout.BiasIh(l));
        if (IsNarrow(l))
        {
            var rows = _packedW!.InputRows[l].AsSpan();
            for (int r = b0; r < b1; r++)
                for (int s = s0; s < s1; s++)
                    Gemm.BiasPlusNarrowProduct(bias, input.Slice((r * t + s) * il, il), rows, g, gx.Slice(GateRow(r, s) * g, g));
            return;
        }
        for (int r = b0; r < b1; r++)
            for (int s = s0; s < s1; s++) bias.CopyTo(gx.Slice(GateRow(r, s) * g, g));
        if (s1 - s0 == t)
            Gemm.Multiply((b1 - b0) * t, g, il, input[(b0 * t * il)..], il, 1, _packedW!.InputT[l], gx[(b0 * t * g)..], g, accumulate: true);
        else
            for (int s = s0; s < s1; s++)
                Gemm.Multiply(b1 - b0, g, il, input[((b0 * t + s) * il)..], t * il, 1, _packedW!.InputT[l], gx[(GateRow(b0, s) * g)..], GateStride * g, accumulate: true);
    }

    /// <summary>h-side gates (b_hh + W_hh·h_{t-1}) and the cell update of step <paramref name="s"/> for rows [b0, b1) of layer <paramref name="l"/>.</summary>
    void StepRows(int l, int s, int b0, int b1)
    {
        int nb = b1 - b0, t = Steps, h = _h, g = _g;
        var gx = _gx[l].AsSpan(); var gh = _gh[l].AsSpan(); var y = _y[l].AsSpan();
        ReadOnlySpan<float> bias = _net.Parameter(GruParameterLayout.BiasHh(l));
        for (int b = b0; b < b1; b++) bias.CopyTo(gh.Slice(GateRow(b, s) * g, g));
        var stepGh = gh[(GateRow(b0, s) * g)..];
        if (s > 0)
            Gemm.Multiply(nb, g, h, y[((b0 * t + s - 1) * h)..], t * h, 1, _packedW!.RecurrentT[l], stepGh, GateStride * g, accumulate: true);
        else if (_hasInitialState)
            Gemm.Multiply(nb, g, h, _h0[l].AsSpan(b0 * h), h, 1, _packedW!.RecurrentT[l], stepGh, GateStride * g, accumulate: true);
        for (int b = b0; b < b1; b++)
        {
            int row = b * t + s, gate = GateRow(b, s) * g;
            ReadOnlySpan<float> hPrev = s == 0 ? _h0[l].AsSpan(b * h, h) : y.Slice((row - 1) * h, h);
            GruCell.Forward(gx.Slice(gate, g), gh.Slice(gate, g), hPrev, y.Slice(row * h, h));
        }
    }

    /// <summary>Dense head on the last step of the last layer, for rows [b0, b1).</summary>
    void HeadForward(int b0, int b1)
    {
        int nb = b1 - b0, t = Steps, h = _h, o = _cfg.OutputSize;
        var outRows = _out.AsSpan(b0 * o, nb * o);
        ReadOnlySpan<float> headBias = _net.Parameter(GruParameterLayout.HeadBias);
        for (int b = 0; b < nb; b++) headBias.CopyTo(outRows.Slice(b * o, o));
        Gemm.Multiply(nb, o, h, _y[_layers - 1].AsSpan(((b0 * t) + t - 1) * h), t * h, 1, _packedW!.HeadT, outRows, o, accumulate: true);
    }
}

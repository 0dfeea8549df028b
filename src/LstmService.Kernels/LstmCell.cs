using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmService.Kernels;

/// <summary>
/// The fused LSTM cell for one sequence row and one time step, in PyTorch's gate order (i, f, g, o).
/// Gates arrive as pre-activations in a row of 4H and leave activated, so the backward pass finds
/// them in place and overwrites them with the pre-activation gradients.
/// Peepholes (optional, 3H: p_i, p_f, p_o): i and f see c_{t-1}, o sees c_t.
/// </summary>
public static class LstmCell
{
    /// <summary>
    /// Forward: activates <paramref name="gates"/> in place and writes c_t, tanh(c_t) and h_t.
    /// <paramref name="peepholes"/> is empty or 3H long.
    /// </summary>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> peepholes,
        Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int hs = cPrev.Length;
        ValidateForward(gates, hs, peepholes, c, tanhC, h);
        int j = 0;
        if (Vector.IsHardwareAccelerated && hs >= Vector<float>.Count)
            j = peepholes.IsEmpty
                ? ForwardVector<WithoutPeepholes>(gates, cPrev, default, c, tanhC, h, hs)
                : ForwardVector<WithPeepholes>(gates, cPrev, peepholes, c, tanhC, h, hs);
        ForwardScalar(gates, cPrev, peepholes, c, tanhC, h, hs, j);
    }

    /// <summary>Scalar reference (from unit <paramref name="start"/> on): the same formulas with MathF.</summary>
    public static void ForwardScalar(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> peep,
        Span<float> c, Span<float> tanhC, Span<float> h, int hs, int start = 0)
    {
        if (peep.IsEmpty) peep = ZeroPeepholes(hs);
        for (int j = start; j < hs; j++)
        {
            float cp = cPrev[j];
            float i = Activations.Sigmoid(MathF.FusedMultiplyAdd(peep[j], cp, gates[j]));
            float f = Activations.Sigmoid(MathF.FusedMultiplyAdd(peep[hs + j], cp, gates[hs + j]));
            float g = MathF.Tanh(gates[2 * hs + j]);
            float ct = MathF.FusedMultiplyAdd(f, cp, i * g);
            float o = Activations.Sigmoid(MathF.FusedMultiplyAdd(peep[2 * hs + j], ct, gates[3 * hs + j]));
            float tc = MathF.Tanh(ct);
            gates[j] = i; gates[hs + j] = f; gates[2 * hs + j] = g; gates[3 * hs + j] = o;
            c[j] = ct; tanhC[j] = tc; h[j] = o * tc;
        }
    }

    // The vector forward runs in two passes over the row, each one short loop: the cell state from i, f, g, then
    // the output gate and h from c_t. One loop doing both was bound by its ~110-cycle dependency chain per vector;
    // short bodies let the out-of-order core overlap several vectors (the row stays in L1 between the passes).
    // Without peepholes the loops are compiled without their loads and FMAs (about 7% of the cell at H = 64).
    static int ForwardVector<TPeep>(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> peep,
        Span<float> c, Span<float> tanhC, Span<float> h, int hs) where TPeep : struct, IPeepholeMode
    {
        int end = CellStateVector<TPeep>(gates, cPrev, peep, c, hs);
        CellOutputVector<TPeep>(gates, peep, c, tanhC, h, hs, end);
        return end;
    }

    static int CellStateVector<TPeep>(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> peep, Span<float> c, int hs)
        where TPeep : struct, IPeepholeMode
    {
        ref float gi = ref MemoryMarshal.GetReference(gates);
        ref float gf = ref Unsafe.Add(ref gi, hs);
        ref float gg = ref Unsafe.Add(ref gi, 2 * hs);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float pi = ref MemoryMarshal.GetReference(peep);
        ref float pf = ref Unsafe.Add(ref pi, TPeep.Enabled ? hs : 0);
        ref float cr = ref MemoryMarshal.GetReference(c);
        int vw = Vector<float>.Count, j = 0;
        for (; j <= hs - vw; j += vw)
        {
            nuint u = (nuint)j;
            var cpv = Vector.LoadUnsafe(ref cp, u);
            var zi = Vector.LoadUnsafe(ref gi, u);
            var zf = Vector.LoadUnsafe(ref gf, u);
            if (TPeep.Enabled)
            {
                zi = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pi, u), cpv, zi);
                zf = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pf, u), cpv, zf);
            }
            var i = Activations.Sigmoid(zi);
            var f = Activations.Sigmoid(zf);
            var g = Activations.Tanh(Vector.LoadUnsafe(ref gg, u));
            i.StoreUnsafe(ref gi, u); f.StoreUnsafe(ref gf, u); g.StoreUnsafe(ref gg, u);
            Vector.FusedMultiplyAdd(f, cpv, i * g).StoreUnsafe(ref cr, u);
        }
        return j;
    }

    static void CellOutputVector<TPeep>(Span<float> gates, ReadOnlySpan<float> peep, ReadOnlySpan<float> c, Span<float> tanhC, Span<float> h, int hs, int end)
        where TPeep : struct, IPeepholeMode
    {
        ref float go = ref Unsafe.Add(ref MemoryMarshal.GetReference(gates), 3 * hs);
        ref float po = ref Unsafe.Add(ref MemoryMarshal.GetReference(peep), TPeep.Enabled ? 2 * hs : 0);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float tr = ref MemoryMarshal.GetReference(tanhC);
        ref float hr = ref MemoryMarshal.GetReference(h);
        int vw = Vector<float>.Count;
        for (int j = 0; j < end; j += vw)
        {
            nuint u = (nuint)j;
            var ct = Vector.LoadUnsafe(ref cr, u);
            var zo = Vector.LoadUnsafe(ref go, u);
            if (TPeep.Enabled) zo = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref po, u), ct, zo);
            var o = Activations.Sigmoid(zo);
            var tc = Activations.Tanh(ct);
            o.StoreUnsafe(ref go, u); tc.StoreUnsafe(ref tr, u); (o * tc).StoreUnsafe(ref hr, u);
        }
    }

    /// <summary>Compile-time switch for the peephole terms: the JIT specialises each loop for both modes.</summary>
    interface IPeepholeMode { static abstract bool Enabled { get; } }
    readonly struct WithPeepholes : IPeepholeMode { public static bool Enabled => true; }
    readonly struct WithoutPeepholes : IPeepholeMode { public static bool Enabled => false; }

    /// <summary>
    /// Backward: <paramref name="gates"/> holds the activated gates and leaves holding dL/d(pre-activation);
    /// <paramref name="dc"/> holds dL/dc_t from step t+1 and leaves holding dL/dc_{t-1}; <paramref name="dh"/> is the total dL/dh_t.
    /// </summary>
    public static void Backward(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> peepholes, ReadOnlySpan<float> dh, Span<float> dc)
    {
        int hs = cPrev.Length;
        ValidateBackward(gates, hs, tanhC, peepholes, dh, dc);
        var peep = peepholes.IsEmpty ? ZeroPeepholes(hs) : peepholes;
        int j = 0;
        if (Vector.IsHardwareAccelerated && hs >= Vector<float>.Count)
            j = BackwardVector(gates, cPrev, tanhC, peep, dh, dc, hs);
        BackwardScalar(gates, cPrev, tanhC, peep, dh, dc, hs, j);
    }

    /// <summary>Scalar reference of <see cref="Backward"/>.</summary>
    public static void BackwardScalar(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> peep, ReadOnlySpan<float> dh, Span<float> dc, int hs, int start = 0)
    {
        if (peep.IsEmpty) peep = ZeroPeepholes(hs);
        for (int j = start; j < hs; j++)
        {
            float i = gates[j], f = gates[hs + j], g = gates[2 * hs + j], o = gates[3 * hs + j];
            float tc = tanhC[j], dhj = dh[j];
            float dzo = dhj * tc * o * (1f - o);
            float dct = dc[j] + dhj * o * (1f - tc * tc) + dzo * peep[2 * hs + j];
            float dzi = dct * g * i * (1f - i);
            float dzf = dct * cPrev[j] * f * (1f - f);
            float dzg = dct * i * (1f - g * g);
            dc[j] = dct * f + dzi * peep[j] + dzf * peep[hs + j];
            gates[j] = dzi; gates[hs + j] = dzf; gates[2 * hs + j] = dzg; gates[3 * hs + j] = dzo;
        }
    }

    static int BackwardVector(Span<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> peep, ReadOnlySpan<float> dh, Span<float> dc, int hs)
    {
        ref float gi = ref MemoryMarshal.GetReference(gates);
        ref float gf = ref Unsafe.Add(ref gi, hs);
        ref float gg = ref Unsafe.Add(ref gi, 2 * hs);
        ref float go = ref Unsafe.Add(ref gi, 3 * hs);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float tr = ref MemoryMarshal.GetReference(tanhC);
        ref float pi = ref MemoryMarshal.GetReference(peep);
        ref float pf = ref Unsafe.Add(ref pi, hs);
        ref float po = ref Unsafe.Add(ref pi, 2 * hs);
        ref float dhr = ref MemoryMarshal.GetReference(dh);
        ref float dcr = ref MemoryMarshal.GetReference(dc);
        var one = Vector<float>.One;
        int vw = Vector<float>.Count, j = 0;
        for (; j <= hs - vw; j += vw)
        {
            nuint u = (nuint)j;
            var i = Vector.LoadUnsafe(ref gi, u); var f = Vector.LoadUnsafe(ref gf, u);
            var g = Vector.LoadUnsafe(ref gg, u); var o = Vector.LoadUnsafe(ref go, u);
            var tc = Vector.LoadUnsafe(ref tr, u); var dhv = Vector.LoadUnsafe(ref dhr, u);
            var dzo = dhv * tc * o * (one - o);
            var dct = Vector.FusedMultiplyAdd(dzo, Vector.LoadUnsafe(ref po, u),
                Vector.FusedMultiplyAdd(dhv * o, one - tc * tc, Vector.LoadUnsafe(ref dcr, u)));
            var dzi = dct * g * i * (one - i);
            var dzf = dct * Vector.LoadUnsafe(ref cp, u) * f * (one - f);
            var dzg = dct * i * (one - g * g);
            var dcp = Vector.FusedMultiplyAdd(dzf, Vector.LoadUnsafe(ref pf, u), Vector.FusedMultiplyAdd(dzi, Vector.LoadUnsafe(ref pi, u), dct * f));
            dcp.StoreUnsafe(ref dcr, u);
            dzi.StoreUnsafe(ref gi, u); dzf.StoreUnsafe(ref gf, u); dzg.StoreUnsafe(ref gg, u); dzo.StoreUnsafe(ref go, u);
        }
        return j;
    }

    static AlignedBuffer s_zeros = new(192);

    /// <summary>A shared all-zero peephole vector so cells without peepholes run the same loop (grown, never shrunk, rarely reallocated).</summary>
    static ReadOnlySpan<float> ZeroPeepholes(int hs)
    {
        var z = s_zeros;
        if (z.Length < 3 * hs) s_zeros = z = new AlignedBuffer(3 * hs);
        return z.AsSpan(0, 3 * hs);
    }

    static void ValidateForward(Span<float> gates, int hs, ReadOnlySpan<float> peep, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        if (gates.Length < 4 * hs) throw new ArgumentException("Gates row must hold 4H values.", nameof(gates));
        if (!peep.IsEmpty && peep.Length < 3 * hs) throw new ArgumentException("Peepholes must be empty or hold 3H values.", nameof(peep));
        if (c.Length < hs || tanhC.Length < hs || h.Length < hs) throw new ArgumentException("Cell outputs must hold H values.");
    }

    static void ValidateBackward(Span<float> gates, int hs, ReadOnlySpan<float> tanhC, ReadOnlySpan<float> peep, ReadOnlySpan<float> dh, Span<float> dc)
    {
        if (gates.Length < 4 * hs) throw new ArgumentException("Gates row must hold 4H values.", nameof(gates));
        if (!peep.IsEmpty && peep.Length < 3 * hs) throw new ArgumentException("Peepholes must be empty or hold 3H values.", nameof(peep));
        if (tanhC.Length < hs || dh.Length < hs || dc.Length < hs) throw new ArgumentException("Cell state rows must hold H values.");
    }
}

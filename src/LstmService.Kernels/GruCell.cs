using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmService.Kernels;

/// <summary>
/// The fused GRU cell for one sequence row and one time step, in torch.nn.GRU's gate order (r, z, n):
/// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h' = (1 − z) ⊙ n + z ⊙ h, where the x row (3H) holds
/// W_ih·x + b_ih and the h row (3H) holds W_hh·h + b_hh. The two rows stay apart because b_hn and W_hn·h sit inside the
/// reset product. The x row leaves holding the activated r, z, n and the h row is kept, so the backward pass finds
/// everything it needs in place and overwrites both rows with the gradients of their pre-activations.
/// </summary>
public static class GruCell
{
    /// <summary>Forward: activates <paramref name="gatesX"/> in place (r, z, n) and writes h_t; <paramref name="gatesH"/> is read only.</summary>
    public static void Forward(Span<float> gatesX, ReadOnlySpan<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> h)
    {
        int hs = hPrev.Length;
        Validate(gatesX, gatesH, hs, h.Length);
        int j = 0;
        if (Vector.IsHardwareAccelerated && hs >= Vector<float>.Count) j = ForwardVector(gatesX, gatesH, hPrev, h, hs);
        ForwardTail(gatesX, gatesH, hPrev, h, hs, j);
    }

    /// <summary>Scalar reference (from unit <paramref name="start"/> on): the same formulas with MathF.</summary>
    public static void ForwardScalar(Span<float> gatesX, ReadOnlySpan<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> h, int hs, int start = 0)
    {
        Validate(gatesX, gatesH, hs, h.Length);
        ForwardTail(gatesX, gatesH, hPrev, h, hs, start);
    }

    // The scalar loop without the checks, which Forward has made once already for the whole row.
    static void ForwardTail(Span<float> gatesX, ReadOnlySpan<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> h, int hs, int start)
    {
        for (int j = start; j < hs; j++)
        {
            float r = Activations.Sigmoid(gatesX[j] + gatesH[j]);
            float z = Activations.Sigmoid(gatesX[hs + j] + gatesH[hs + j]);
            float n = MathF.Tanh(MathF.FusedMultiplyAdd(r, gatesH[2 * hs + j], gatesX[2 * hs + j]));
            gatesX[j] = r; gatesX[hs + j] = z; gatesX[2 * hs + j] = n;
            // (1 − z)·n + z·h_prev written as n + z·(h_prev − n): one FMA, exact at z = 0 and z = 1.
            h[j] = MathF.FusedMultiplyAdd(z, hPrev[j] - n, n);
        }
    }

    static int ForwardVector(Span<float> gatesX, ReadOnlySpan<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> h, int hs)
    {
        ref float xr = ref MemoryMarshal.GetReference(gatesX);
        ref float xz = ref Unsafe.Add(ref xr, hs);
        ref float xn = ref Unsafe.Add(ref xr, 2 * hs);
        ref float hr = ref MemoryMarshal.GetReference(gatesH);
        ref float hz = ref Unsafe.Add(ref hr, hs);
        ref float hn = ref Unsafe.Add(ref hr, 2 * hs);
        ref float hp = ref MemoryMarshal.GetReference(hPrev);
        ref float ho = ref MemoryMarshal.GetReference(h);
        int vw = Vector<float>.Count, j = 0;
        for (; j <= hs - vw; j += vw)
        {
            nuint u = (nuint)j;
            var r = Activations.Sigmoid(Vector.LoadUnsafe(ref xr, u) + Vector.LoadUnsafe(ref hr, u));
            var z = Activations.Sigmoid(Vector.LoadUnsafe(ref xz, u) + Vector.LoadUnsafe(ref hz, u));
            var n = Activations.Tanh(Vector.FusedMultiplyAdd(r, Vector.LoadUnsafe(ref hn, u), Vector.LoadUnsafe(ref xn, u)));
            r.StoreUnsafe(ref xr, u); z.StoreUnsafe(ref xz, u); n.StoreUnsafe(ref xn, u);
            Vector.FusedMultiplyAdd(z, Vector.LoadUnsafe(ref hp, u) - n, n).StoreUnsafe(ref ho, u);
        }
        return j;
    }

    /// <summary>
    /// Backward: <paramref name="gatesX"/> holds the activated r, z, n and leaves holding dL/d(x-side pre-activations);
    /// <paramref name="gatesH"/> holds W_hh·h + b_hh and leaves holding dL/d(h-side pre-activations) (the n block times r);
    /// <paramref name="dh"/> holds the total dL/dh_t and leaves holding z ⊙ dL/dh_t, the direct part of dL/dh_{t-1}
    /// (the caller adds the h-side gradients times W_hh).
    /// </summary>
    public static void Backward(Span<float> gatesX, Span<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> dh)
    {
        int hs = hPrev.Length;
        Validate(gatesX, gatesH, hs, dh.Length);
        int j = 0;
        if (Vector.IsHardwareAccelerated && hs >= Vector<float>.Count) j = BackwardVector(gatesX, gatesH, hPrev, dh, hs);
        BackwardTail(gatesX, gatesH, hPrev, dh, hs, j);
    }

    /// <summary>Scalar reference of <see cref="Backward"/>.</summary>
    public static void BackwardScalar(Span<float> gatesX, Span<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> dh, int hs, int start = 0)
    {
        Validate(gatesX, gatesH, hs, dh.Length);
        BackwardTail(gatesX, gatesH, hPrev, dh, hs, start);
    }

    static void BackwardTail(Span<float> gatesX, Span<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> dh, int hs, int start)
    {
        for (int j = start; j < hs; j++)
        {
            float r = gatesX[j], z = gatesX[hs + j], n = gatesX[2 * hs + j], d = dh[j];
            float dz = d * (hPrev[j] - n) * z * (1f - z);
            float dn = d * (1f - z) * (1f - n * n);
            float dr = dn * gatesH[2 * hs + j] * r * (1f - r);
            gatesX[j] = dr; gatesX[hs + j] = dz; gatesX[2 * hs + j] = dn;
            gatesH[j] = dr; gatesH[hs + j] = dz; gatesH[2 * hs + j] = dn * r;
            dh[j] = d * z;
        }
    }

    static int BackwardVector(Span<float> gatesX, Span<float> gatesH, ReadOnlySpan<float> hPrev, Span<float> dh, int hs)
    {
        ref float xr = ref MemoryMarshal.GetReference(gatesX);
        ref float xz = ref Unsafe.Add(ref xr, hs);
        ref float xn = ref Unsafe.Add(ref xr, 2 * hs);
        ref float hr = ref MemoryMarshal.GetReference(gatesH);
        ref float hz = ref Unsafe.Add(ref hr, hs);
        ref float hn = ref Unsafe.Add(ref hr, 2 * hs);
        ref float hp = ref MemoryMarshal.GetReference(hPrev);
        ref float dr0 = ref MemoryMarshal.GetReference(dh);
        var one = Vector<float>.One;
        int vw = Vector<float>.Count, j = 0;
        for (; j <= hs - vw; j += vw)
        {
            nuint u = (nuint)j;
            var r = Vector.LoadUnsafe(ref xr, u); var z = Vector.LoadUnsafe(ref xz, u); var n = Vector.LoadUnsafe(ref xn, u);
            var d = Vector.LoadUnsafe(ref dr0, u);
            // The same products in the same order as the scalar reference, so both paths round alike.
            var dz = d * (Vector.LoadUnsafe(ref hp, u) - n) * z * (one - z);
            var dn = d * (one - z) * (one - n * n);
            var dr = dn * Vector.LoadUnsafe(ref hn, u) * r * (one - r);
            dr.StoreUnsafe(ref xr, u); dz.StoreUnsafe(ref xz, u); dn.StoreUnsafe(ref xn, u);
            dr.StoreUnsafe(ref hr, u); dz.StoreUnsafe(ref hz, u); (dn * r).StoreUnsafe(ref hn, u);
            (d * z).StoreUnsafe(ref dr0, u);
        }
        return j;
    }

    static void Validate(ReadOnlySpan<float> gatesX, ReadOnlySpan<float> gatesH, int hs, int outLength)
    {
        if (gatesX.Length < 3 * hs) throw new ArgumentException("The x-side gate row must hold 3H values.", nameof(gatesX));
        if (gatesH.Length < 3 * hs) throw new ArgumentException("The h-side gate row must hold 3H values.", nameof(gatesH));
        if (outLength < hs) throw new ArgumentException("h and dh must hold H values.");
    }
}

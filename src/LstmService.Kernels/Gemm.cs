using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LstmService.Kernels;

/// <summary>
/// Single-threaded matrix product C = A·B (or C += A·B) with B pre-packed into panels of
/// <see cref="KernelInfo.PanelWidth"/> columns. A is addressed through a row and a column stride, so the
/// same routine serves A (row stride = ld, column stride 1) and Aᵀ (row stride 1, column stride = ld).
/// Every output element is one FMA chain in k order starting from C (or 0), whatever the tile, block or
/// thread that computes it: results do not depend on how callers split rows between threads.
/// </summary>
public static partial class Gemm
{
    /// <summary>Rows of the register tile: 6 rows x 2 vectors = 12 accumulators, 16 registers on AVX2.</summary>
    public const int TileRows = 6;
    const int DepthBlock = 256;      // B panel slice of 256 x 16 floats = 16 KB stays in L1
    const int RowBlock = 20 * TileRows; // A block of 120 x 256 floats = 120 KB stays in L2

    static int NR => KernelInfo.PanelWidth;

    /// <summary>Number of packed panels for <paramref name="n"/> columns.</summary>
    public static int PanelCount(int n) => (n + NR - 1) / NR;

    /// <summary>Length of the packed form of a K x N matrix.</summary>
    public static int PackedLength(int k, int n) => PanelCount(n) * k * NR;

    /// <summary>Packs B (K x N, row-major, leading dimension <paramref name="ldb"/>) into panels.</summary>
    public static void PackB(ReadOnlySpan<float> b, int ldb, int k, int n, Span<float> packed)
        => PackBRows(b, ldb, 0, k, k, n, packed);

    /// <summary>
    /// Packs <paramref name="rows"/> source rows into rows [kStart, kStart + rows) of a packed K x N matrix
    /// of total depth <paramref name="kTotal"/>; lets callers gather B from rows that are not evenly strided.
    /// </summary>
    public static void PackBRows(ReadOnlySpan<float> src, int ld, int kStart, int rows, int kTotal, int n, Span<float> packed)
    {
        ValidatePack(kStart, rows, kTotal, n, packed);
        if (rows == 0 || n == 0) return;
        if (ld < n || (long)(rows - 1) * ld + n > src.Length) throw new ArgumentException("Source is too short for the given rows, columns and leading dimension.", nameof(src));
        int nr = NR, panels = PanelCount(n);
        for (int p = 0; p < panels; p++)
        {
            int j0 = p * nr, w = Math.Min(nr, n - j0);
            var panel = packed.Slice(p * kTotal * nr + kStart * nr, rows * nr);
            for (int r = 0; r < rows; r++)
            {
                var dst = panel.Slice(r * nr, nr);
                src.Slice(r * ld + j0, w).CopyTo(dst);
                dst[w..].Clear();
            }
        }
    }

    /// <summary>Packs B = Wᵀ where W is N x K row-major (PyTorch's [out, in] weight layout).</summary>
    public static void PackBTransposed(ReadOnlySpan<float> w, int k, int n, Span<float> packed)
    {
        ValidatePack(0, k, k, n, packed);
        if ((long)k * n > w.Length) throw new ArgumentException("Source is shorter than N x K.", nameof(w));
        int nr = NR, panels = PanelCount(n);
        for (int p = 0; p < panels; p++)
        {
            var panel = packed.Slice(p * k * nr, k * nr);
            for (int jj = 0; jj < nr; jj++)
            {
                int j = p * nr + jj;
                if (j < n)
                {
                    var row = w.Slice(j * k, k);
                    for (int kk = 0; kk < k; kk++) panel[kk * nr + jj] = row[kk];
                }
                else
                {
                    for (int kk = 0; kk < k; kk++) panel[kk * nr + jj] = 0f;
                }
            }
        }
    }

    static void ValidatePack(int kStart, int rows, int kTotal, int n, Span<float> packed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kStart);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (kStart + rows > kTotal) throw new ArgumentOutOfRangeException(nameof(rows), "Rows run past the packed depth.");
        if (packed.Length < PackedLength(kTotal, n)) throw new ArgumentException("Packed buffer is too short.", nameof(packed));
    }

    /// <summary>
    /// C[m x n] (+)= A[m x k] · B[k x n]. A(i, kk) is a[i * rowStrideA + kk * colStrideA]; B is packed
    /// (<see cref="PackB"/>); C is row-major with leading dimension <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, int rowStrideA, int colStrideA,
        ReadOnlySpan<float> packedB, Span<float> c, int ldc, bool accumulate)
    {
        Validate(m, n, k, a, rowStrideA, colStrideA, packedB, c, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        if (!Vector.IsHardwareAccelerated)
        {
            MultiplyScalar(m, n, k, a, rowStrideA, colStrideA, packedB, c, ldc, accumulate);
            return;
        }
        MultiplyVector(m, n, k, a, rowStrideA, colStrideA, packedB, c, ldc, accumulate);
    }

    static void Validate(int m, int n, int k, ReadOnlySpan<float> a, int rsA, int csA, ReadOnlySpan<float> packedB, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(rsA);
        ArgumentOutOfRangeException.ThrowIfNegative(csA);
        if (m > 0 && n > 0 && ldc < n) throw new ArgumentOutOfRangeException(nameof(ldc), "Leading dimension of C is smaller than N.");
        if (m > 0 && k > 0 && (long)(m - 1) * rsA + (long)(k - 1) * csA >= a.Length) throw new ArgumentException("A is too short for M, K and its strides.", nameof(a));
        if (packedB.Length < PackedLength(k, n)) throw new ArgumentException("Packed B is too short for K x N.", nameof(packedB));
        if (m > 0 && n > 0 && (long)(m - 1) * ldc + n > c.Length) throw new ArgumentException("C is too short for M x N.", nameof(c));
    }

    /// <summary>Scalar reference: the same FMA chain per element, in k order. Tests compare the vector path to it.</summary>
    public static void MultiplyScalar(int m, int n, int k, ReadOnlySpan<float> a, int rowStrideA, int colStrideA,
        ReadOnlySpan<float> packedB, Span<float> c, int ldc, bool accumulate)
    {
        Validate(m, n, k, a, rowStrideA, colStrideA, packedB, c, ldc);
        int nr = NR;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int panel = j / nr * k * nr + j % nr;
                float acc = accumulate ? c[i * ldc + j] : 0f;
                for (int kk = 0; kk < k; kk++)
                    acc = MathF.FusedMultiplyAdd(a[i * rowStrideA + kk * colStrideA], packedB[panel + kk * nr], acc);
                c[i * ldc + j] = acc;
            }
        }
    }

    /// <summary>
    /// c[j] = bias[j] + Σ_k x[k]·rows[k·ldRows + j] for a handful of inputs (K = x.Length): the input projection of a
    /// narrow layer, one pass over c instead of a bias copy plus one pass per input. Each element is the FMA chain
    /// bias, then k = 0, 1, ..., the chain a GEMM accumulating onto the bias computes.
    /// </summary>
    public static void BiasPlusNarrowProduct(ReadOnlySpan<float> bias, ReadOnlySpan<float> x, ReadOnlySpan<float> rows, int ldRows, Span<float> c)
    {
        int n = c.Length, k = x.Length;
        ValidateNarrow(bias, k, rows, ldRows, n);
        int j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count) j = BiasPlusNarrowProductVector(bias, x, rows, ldRows, c);
        BiasPlusNarrowProductScalar(bias, x, rows, ldRows, c, j);
    }

    /// <summary>Scalar reference of <see cref="BiasPlusNarrowProduct"/> (from column <paramref name="start"/> on).</summary>
    public static void BiasPlusNarrowProductScalar(ReadOnlySpan<float> bias, ReadOnlySpan<float> x, ReadOnlySpan<float> rows, int ldRows, Span<float> c, int start = 0)
    {
        ValidateNarrow(bias, x.Length, rows, ldRows, c.Length);
        for (int j = start; j < c.Length; j++)
        {
            float acc = bias[j];
            for (int kk = 0; kk < x.Length; kk++) acc = MathF.FusedMultiplyAdd(x[kk], rows[kk * ldRows + j], acc);
            c[j] = acc;
        }
    }

    static int BiasPlusNarrowProductVector(ReadOnlySpan<float> bias, ReadOnlySpan<float> x, ReadOnlySpan<float> rows, int ldRows, Span<float> c)
    {
        ref float br = ref MemoryMarshal.GetReference(bias);
        ref float rr = ref MemoryMarshal.GetReference(rows);
        ref float cr = ref MemoryMarshal.GetReference(c);
        int vw = Vector<float>.Count, n = c.Length, k = x.Length, j = 0;
        for (; j <= n - vw; j += vw)
        {
            var acc = Vector.LoadUnsafe(ref br, (nuint)j);
            for (int kk = 0; kk < k; kk++)
                acc = Vector.FusedMultiplyAdd(new Vector<float>(x[kk]), Vector.LoadUnsafe(ref rr, (nuint)(kk * ldRows + j)), acc);
            acc.StoreUnsafe(ref cr, (nuint)j);
        }
        return j;
    }

    static void ValidateNarrow(ReadOnlySpan<float> bias, int k, ReadOnlySpan<float> rows, int ldRows, int n)
    {
        if (bias.Length < n) throw new ArgumentException("Bias is shorter than the output.", nameof(bias));
        if (k > 0 && (ldRows < n || (long)(k - 1) * ldRows + n > rows.Length)) throw new ArgumentException("Rows are too short for K x N with their leading dimension.", nameof(rows));
    }

    static void MultiplyVector(int m, int n, int k, ReadOnlySpan<float> a, int rsA, int csA,
        ReadOnlySpan<float> packedB, Span<float> c, int ldc, bool accumulate)
    {
        int nr = NR, panels = PanelCount(n);
        Span<float> edge = stackalloc float[TileRows * 2 * 16]; // room for the widest Vector<float> (512 bits)
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float b0 = ref MemoryMarshal.GetReference(packedB);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        ref float e0 = ref MemoryMarshal.GetReference(edge);
        for (int pc = 0; pc < k; pc += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, k - pc);
            bool load = accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += RowBlock)
            {
                int mc = Math.Min(RowBlock, m - ic);
                int fullRows = mc / TileRows * TileRows;
                for (int p = 0; p < panels; p++)
                {
                    int j0 = p * nr, w = Math.Min(nr, n - j0);
                    ref float bp = ref Unsafe.Add(ref b0, (nint)p * k * nr + (nint)pc * nr);
                    for (int i = ic; i < ic + fullRows; i += TileRows)
                    {
                        ref float ai = ref Unsafe.Add(ref a0, (nint)i * rsA + (nint)pc * csA);
                        ref float ci = ref Unsafe.Add(ref c0, (nint)i * ldc + j0);
                        if (w == nr)
                        {
                            Tile6(kc, ref ai, rsA, csA, ref bp, ref ci, ldc, load);
                        }
                        else
                        {
                            CopyTile(ref ci, ldc, ref e0, nr, TileRows, w, load);
                            Tile6(kc, ref ai, rsA, csA, ref bp, ref e0, nr, load);
                            CopyTile(ref e0, nr, ref ci, ldc, TileRows, w, true);
                        }
                    }
                }
                // Leftover rows (1-5): groups of three or two rows over pairs of panels (12 or 8 accumulators, so B is
                // streamed once per group, not once per row), then one row at a time over what remains.
                int fullPairs = n / nr / 2 * 2;
                for (int i = ic + fullRows; i < ic + mc;)
                {
                    int group = Math.Min(3, ic + mc - i);
                    ref float ai = ref Unsafe.Add(ref a0, (nint)i * rsA + (nint)pc * csA);
                    int first = 0;
                    if (group > 1)
                    {
                        for (int p = 0; p < fullPairs; p += 2)
                        {
                            ref float bp = ref Unsafe.Add(ref b0, (nint)p * k * nr + (nint)pc * nr);
                            ref float ci = ref Unsafe.Add(ref c0, (nint)i * ldc + p * nr);
                            if (group == 3) Tile3x2Panels(kc, ref ai, rsA, csA, ref bp, (nint)k * nr, ref ci, ldc, load);
                            else Tile2x2Panels(kc, ref ai, rsA, csA, ref bp, (nint)k * nr, ref ci, ldc, load);
                        }
                        first = fullPairs;
                    }
                    for (int r = 0; r < group; r++)
                        RowPanels(ref Unsafe.Add(ref ai, (nint)r * rsA), csA, ref b0, k, pc, kc, n, first, ref Unsafe.Add(ref c0, (nint)(i + r) * ldc), ref e0, load);
                    i += group;
                }
            }
        }
    }
}

using System.Numerics;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

public class GemmTests
{
    static int NR => KernelInfo.PanelWidth;

    public static TheoryData<int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int k in new[] { 0, 1, 7, 300 })
            foreach (bool transposed in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    data.Add(k, transposed, accumulate);
        return data;
    }

    /// <summary>
    /// Every m and n from 0 to 3 x Vector&lt;float&gt;.Count + 1 (full tiles, edge tiles, leftover rows, the four-panel
    /// row path) for one depth, A layout and accumulate flag: vector path vs scalar reference vs a naive double loop.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyMatchesScalarAndNaive(int k, bool transposedA, bool accumulate)
    {
        var rng = new SeededRandom(1000UL + (ulong)k * 4 + (transposedA ? 2UL : 0) + (accumulate ? 1UL : 0));
        for (int m = 0; m <= Edge; m++)
            for (int n = 0; n <= Edge; n++)
                CheckProduct(rng, m, n, k, transposedA, accumulate);
    }

    /// <summary>Crosses the 120-row block and two 256-deep blocks, with several panels and an edge panel.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void MultiplyCrossesRowAndDepthBlocks(bool transposedA, bool accumulate)
    {
        var rng = new SeededRandom(77);
        CheckProduct(rng, 127, 2 * NR + 3, 513, transposedA, accumulate);
        CheckProduct(rng, 6, 4 * NR, 257, transposedA, accumulate);
    }

    static void CheckProduct(SeededRandom rng, int m, int n, int k, bool transposedA, bool accumulate)
    {
        string what = $"m={m} n={n} k={k} {(transposedA ? "Aᵀ" : "A")} accumulate={accumulate}";
        // A with padding that must never be read: a NaN read there would poison C.
        int rowStride, colStride, aLength;
        if (transposedA) { rowStride = 1; colStride = m + 3; aLength = k * colStride; }
        else { rowStride = k + 2; colStride = 1; aLength = m * rowStride; }
        var a = new float[aLength];
        Array.Fill(a, float.NaN);
        for (int i = 0; i < m; i++)
            for (int kk = 0; kk < k; kk++)
                a[i * rowStride + kk * colStride] = rng.NextUniform(-1f, 1f);

        int ldb = n + 1;
        var b = Random(rng, k * ldb);
        var packed = new float[Gemm.PackedLength(k, n)];
        Gemm.PackB(b, ldb, k, n, packed);

        // C: sentinels before, after and in the padding of every row (ldc > n).
        int ldc = n + 3, pre = 4, post = 5;
        var cInit = new float[pre + m * ldc + post];
        Array.Fill(cInit, Sentinel);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                cInit[pre + i * ldc + j] = accumulate ? rng.NextUniform(-2f, 2f) : Sentinel; // without accumulate C must not be read
        int cLength = m > 0 && n > 0 ? (m - 1) * ldc + n : 0;

        var cVec = (float[])cInit.Clone();
        var cSca = (float[])cInit.Clone();
        Gemm.Multiply(m, n, k, a, rowStride, colStride, packed, cVec.AsSpan(pre, cLength), ldc, accumulate);
        Gemm.MultiplyScalar(m, n, k, a, rowStride, colStride, packed, cSca.AsSpan(pre, cLength), ldc, accumulate);

        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int at = pre + i * ldc + j;
                double sum = accumulate ? cInit[at] : 0, sumAbs = Math.Abs(sum);
                for (int kk = 0; kk < k; kk++)
                {
                    double p = (double)a[i * rowStride + kk * colStride] * b[kk * ldb + j];
                    sum += p; sumAbs += Math.Abs(p);
                }
                float v = cVec[at], s = cSca[at];
                // Both paths are one FMA chain in k order; allow a relative 1e-6 anyway.
                if (!(Math.Abs(v - s) <= 1e-6 * Math.Abs(s)))
                    throw new Xunit.Sdk.XunitException($"{what}: C[{i},{j}] vector {Fmt(v)} vs scalar {Fmt(s)}.");
                // Rigorous bound for a k-term float chain: (k + 1) u sum|a b| with u = 2^-24.
                if (!(Math.Abs(s - sum) <= (k + 2) * 5.9604644775390625e-8 * sumAbs + 1e-30))
                    throw new Xunit.Sdk.XunitException($"{what}: C[{i},{j}] scalar {Fmt(s)} vs naive {Fmt(sum)} (sum |a b| = {sumAbs:G4}).");
            }
        foreach (var (c, path) in new[] { (cVec, "vector"), (cSca, "scalar") })
            for (int at = 0; at < c.Length; at++)
            {
                int rel = at - pre;
                bool written = rel >= 0 && rel < m * ldc && rel % ldc < n;
                if (!written && !IsSentinel(c[at]))
                    throw new Xunit.Sdk.XunitException($"{what}: {path} path overwrote the sentinel at C buffer index {at} (row offset {rel}) with {c[at]}.");
            }
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(2, 2, 0, [], 0, 1, [], c, 2, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply(2, 2, 0, [], 0, 1, [], c, 2, accumulate: false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void PackBLaysOutZeroPaddedPanels()
    {
        var rng = new SeededRandom(5);
        foreach (int k in new[] { 0, 1, 5 })
            for (int n = 0; n <= Edge; n++)
            {
                int ldb = n + 2;
                var b = Random(rng, Math.Max(1, k * ldb));
                int len = Gemm.PackedLength(k, n);
                Assert.Equal((n + NR - 1) / NR * k * NR, len);
                var packed = new float[len + 3];
                Array.Fill(packed, Sentinel);
                Gemm.PackB(b, ldb, k, n, packed.AsSpan(0, len));
                for (int p = 0; p < Gemm.PanelCount(n); p++)
                    for (int kk = 0; kk < k; kk++)
                        for (int jj = 0; jj < NR; jj++)
                        {
                            int j = p * NR + jj;
                            float expected = j < n ? b[kk * ldb + j] : 0f;
                            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(packed[p * k * NR + kk * NR + jj]),
                                $"k={k} n={n}: packed panel {p} row {kk} col {jj} is {packed[p * k * NR + kk * NR + jj]}, expected {expected}.");
                        }
                AssertSentinelsOutside(packed, 0, len, $"PackB k={k} n={n}");
            }
    }

    [Fact]
    public void PackBTransposedEqualsPackOfTranspose()
    {
        var rng = new SeededRandom(6);
        foreach (int k in new[] { 1, 3, 9 })
            for (int n = 0; n <= Edge; n++)
            {
                var w = Random(rng, n * k); // N x K, row-major
                var wt = new float[k * n];
                for (int j = 0; j < n; j++)
                    for (int kk = 0; kk < k; kk++)
                        wt[kk * n + j] = w[j * k + kk];
                int len = Gemm.PackedLength(k, n);
                var viaT = new float[len + 2];
                var direct = new float[len + 2];
                Array.Fill(viaT, Sentinel);
                Array.Fill(direct, Sentinel);
                Gemm.PackB(wt, n, k, n, viaT.AsSpan(0, len));
                Gemm.PackBTransposed(w, k, n, direct.AsSpan(0, len));
                AssertBitEqual(viaT, direct, $"PackBTransposed k={k} n={n}");
            }
    }

    [Fact]
    public void PackBRowsFillsOnlyItsRows()
    {
        var rng = new SeededRandom(7);
        foreach (int k in new[] { 1, 2, 7 })
            for (int n = 1; n <= Edge; n++)
            {
                int ldb = n + 1;
                var b = Random(rng, k * ldb);
                int len = Gemm.PackedLength(k, n);
                var whole = new float[len];
                Gemm.PackB(b, ldb, k, n, whole);

                int split = k / 2;
                var parts = new float[len];
                Array.Fill(parts, Sentinel);
                Gemm.PackBRows(b.AsSpan(split * ldb), ldb, split, k - split, k, n, parts);
                // Rows [0, split) are untouched so far.
                for (int p = 0; p < Gemm.PanelCount(n); p++)
                    for (int i = 0; i < split * NR; i++)
                        Assert.True(IsSentinel(parts[p * k * NR + i]), $"k={k} n={n}: PackBRows wrote row {i / NR} of panel {p} outside its rows.");
                Gemm.PackBRows(b, ldb, 0, split, k, n, parts);
                AssertBitEqual(whole, parts, $"PackBRows k={k} n={n} split={split}");

                // Rows one at a time, in reverse order, give the same result.
                var single = new float[len];
                for (int r = k - 1; r >= 0; r--) Gemm.PackBRows(b.AsSpan(r * ldb, n), n, r, 1, k, n, single);
                AssertBitEqual(whole, single, $"PackBRows row by row k={k} n={n}");
            }
    }

    /// <summary>
    /// The narrow input projection, for every width 0 to 3 x Vector&lt;float&gt;.Count + 1 and 0 to 4 inputs: the vector path
    /// equals its scalar reference bit for bit (the same FMA chain) and a double-precision sum closely; nothing is written past c.
    /// </summary>
    [Fact]
    public void BiasPlusNarrowProductMatchesScalarAndNaive()
    {
        var rng = new SeededRandom(4242);
        for (int k = 0; k <= 4; k++)
            for (int n = 0; n <= Edge; n++)
            {
                int ld = n + 2;
                var bias = Random(rng, n);
                var x = Random(rng, k, -3f, 3f);
                var rows = Random(rng, k * ld);
                var cVec = new float[n + 8];
                Array.Fill(cVec, Sentinel);
                var cSca = (float[])cVec.Clone();
                Gemm.BiasPlusNarrowProduct(bias, x, rows, ld, cVec.AsSpan(4, n));
                Gemm.BiasPlusNarrowProductScalar(bias, x, rows, ld, cSca.AsSpan(4, n));
                AssertBitEqual(cSca, cVec, $"k={k} n={n}");
                AssertSentinelsOutside(cVec, 4, n, $"k={k} n={n}");
                var naive = new double[n];
                for (int j = 0; j < n; j++)
                {
                    naive[j] = bias[j];
                    for (int kk = 0; kk < k; kk++) naive[j] += (double)x[kk] * rows[kk * ld + j];
                }
                AssertClose(naive, cVec.AsSpan(4, n), 1e-6, 1e-6, $"k={k} n={n} vs double");
            }
        Assert.ThrowsAny<ArgumentException>(() => Gemm.BiasPlusNarrowProduct(new float[3], new float[1], new float[4], 4, new float[4])); // bias short
        Assert.ThrowsAny<ArgumentException>(() => Gemm.BiasPlusNarrowProduct(new float[4], new float[2], new float[7], 4, new float[4])); // rows short
        Assert.ThrowsAny<ArgumentException>(() => Gemm.BiasPlusNarrowProduct(new float[4], new float[2], new float[8], 3, new float[4])); // ld < n
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        var packed = new float[Gemm.PackedLength(4, 5)];
        var a = new float[3 * 4];
        var c = new float[3 * 5];
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(3, 5, 4, a, 4, 1, packed, c, 4, false));          // ldc < n
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(3, 5, 4, a.AsSpan(1), 4, 1, packed, c, 5, false)); // A short
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(3, 5, 4, a, 4, 1, packed.AsSpan(1), c, 5, false)); // packed B short
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(3, 5, 4, a, 4, 1, packed, c.AsSpan(1), 5, false)); // C short
        Assert.ThrowsAny<ArgumentException>(() => Gemm.Multiply(-1, 5, 4, a, 4, 1, packed, c, 5, false));
        Assert.ThrowsAny<ArgumentException>(() => Gemm.PackB(new float[20], 5, 4, 5, packed.AsSpan(1)));
        Assert.ThrowsAny<ArgumentException>(() => Gemm.PackB(new float[19], 5, 4, 5, packed));
        Assert.ThrowsAny<ArgumentException>(() => Gemm.PackBRows(new float[10], 5, 3, 2, 4, 5, packed)); // rows past depth
        Assert.ThrowsAny<ArgumentException>(() => Gemm.PackBTransposed(new float[19], 4, 5, packed));
        // The exact minimum lengths are accepted.
        Gemm.Multiply(3, 5, 4, a, 4, 1, packed, c.AsSpan(0, 15), 5, false);
        Assert.Equal(Vector<float>.Count * 2, NR);
    }
}

using System.Numerics;
using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// The fused GRU cell: the vector path against the scalar reference for every length 0..3·Vector&lt;float&gt;.Count + 1
/// (whole vectors, tails, and rows shorter than one vector), outputs fenced by sentinels; the scalar reference against
/// torch.nn.GRU's equations in double.
/// </summary>
public class GruCellTests(ITestOutputHelper output)
{
    [Fact]
    public void ForwardAndBackwardMatchScalarReference()
    {
        var rng = new SeededRandom(151);
        double worstF = 0, worstB = 0;
        for (int hs = 0; hs <= Edge; hs++)
        {
            string what = $"H={hs}";
            var preX = Random(rng, 3 * hs, -4f, 4f);
            var preH = Random(rng, 3 * hs, -3f, 3f);
            var hPrev = Random(rng, hs, -1f, 1f);

            var xV = WithSentinels(preX); var hV = SentinelOnly(hs); var ghV = WithSentinels(preH);
            var xS = WithSentinels(preX); var hS = SentinelOnly(hs); var ghS = WithSentinels(preH);
            GruCell.Forward(xV.AsSpan(0, 3 * hs), ghV.AsSpan(0, 3 * hs), hPrev, hV.AsSpan(0, hs));
            GruCell.ForwardScalar(xS.AsSpan(0, 3 * hs), ghS.AsSpan(0, 3 * hs), hPrev, hS.AsSpan(0, hs), hs);
            foreach (var (buf, n, name) in new[] { (xV, 3 * hs, "gates"), (hV, hs, "h"), (ghV, 3 * hs, "h-side row"),
                                                   (xS, 3 * hs, "scalar gates"), (hS, hs, "scalar h"), (ghS, 3 * hs, "scalar h-side row") })
                AssertSentinelsOutside(buf, 0, n, $"{what} forward {name}");
            AssertBitEqual(preH, ghV.AsSpan(0, 3 * hs), $"{what} forward leaves the h-side row alone");
            worstF = Math.Max(worstF, AssertClose(xS.AsSpan(0, 3 * hs), xV.AsSpan(0, 3 * hs), 1e-6, 1e-5, $"{what} gates"));
            worstF = Math.Max(worstF, AssertClose(hS.AsSpan(0, hs), hV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} h"));

            // The scalar reference against torch.nn.GRU's equations in double (b_hn and W_hn·h inside the reset product).
            for (int j = 0; j < hs; j++)
            {
                double r = Sig(preX[j] + (double)preH[j]), z = Sig(preX[hs + j] + (double)preH[hs + j]);
                double n = Math.Tanh(preX[2 * hs + j] + r * preH[2 * hs + j]);
                double h = (1 - z) * n + z * hPrev[j];
                AssertClose(new[] { r, z, n, h }, new[] { xS[j], xS[hs + j], xS[2 * hs + j], hS[j] }, 2e-6, 1e-5, $"{what} unit {j} (r, z, n, h)");
            }

            // Backward from the same activated gates and the same h-side row.
            var dh = Random(rng, hs);
            var bxV = WithSentinels(xS.AsSpan(0, 3 * hs)); var bhV = WithSentinels(preH); var dhV = WithSentinels(dh);
            var bxS = WithSentinels(xS.AsSpan(0, 3 * hs)); var bhS = WithSentinels(preH); var dhS = WithSentinels(dh);
            GruCell.Backward(bxV.AsSpan(0, 3 * hs), bhV.AsSpan(0, 3 * hs), hPrev, dhV.AsSpan(0, hs));
            GruCell.BackwardScalar(bxS.AsSpan(0, 3 * hs), bhS.AsSpan(0, 3 * hs), hPrev, dhS.AsSpan(0, hs), hs);
            foreach (var (buf, n, name) in new[] { (bxV, 3 * hs, "dx-side"), (bhV, 3 * hs, "dh-side"), (dhV, hs, "dh"),
                                                   (bxS, 3 * hs, "scalar dx-side"), (bhS, 3 * hs, "scalar dh-side"), (dhS, hs, "scalar dh") })
                AssertSentinelsOutside(buf, 0, n, $"{what} backward {name}");
            worstB = Math.Max(worstB, AssertClose(bxS.AsSpan(0, 3 * hs), bxV.AsSpan(0, 3 * hs), 1e-6, 1e-5, $"{what} d(x-side pre-activations)"));
            worstB = Math.Max(worstB, AssertClose(bhS.AsSpan(0, 3 * hs), bhV.AsSpan(0, 3 * hs), 1e-6, 1e-5, $"{what} d(h-side pre-activations)"));
            worstB = Math.Max(worstB, AssertClose(dhS.AsSpan(0, hs), dhV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} z·dh"));

            for (int j = 0; j < hs; j++)
            {
                double r = xS[j], z = xS[hs + j], n = xS[2 * hs + j], d = dh[j];
                double dz = d * (hPrev[j] - n) * z * (1 - z), dn = d * (1 - z) * (1 - n * n), dr = dn * preH[2 * hs + j] * r * (1 - r);
                AssertClose(new[] { dr, dz, dn, dr, dz, dn * r, d * z },
                    new[] { bxS[j], bxS[hs + j], bxS[2 * hs + j], bhS[j], bhS[hs + j], bhS[2 * hs + j], dhS[j] }, 2e-6, 1e-5,
                    $"{what} unit {j} backward (dr, dz, dn, dr_h, dz_h, dn_h, z·dh)");
            }
        }
        output.WriteLine($"Vector<float>.Count = {Vector<float>.Count}; worst vector-vs-scalar |err| forward {worstF:E2}, backward {worstB:E2}");
    }

    [Fact]
    public void SaturatedGatesStayFinite()
    {
        // Pre-activations far into saturation: r, z in {0, 1}, n = ±1; h must interpolate exactly and stay finite.
        int hs = 2 * Vector<float>.Count + 3;
        var rng = new SeededRandom(152);
        var preX = new float[3 * hs]; var preH = new float[3 * hs];
        for (int i = 0; i < preX.Length; i++) { preX[i] = rng.NextFloat() < 0.5f ? -60f : 60f; preH[i] = rng.NextUniform(-100f, 100f); }
        var hPrev = Random(rng, hs);
        var x = (float[])preX.Clone(); var h = new float[hs];
        GruCell.Forward(x, preH, hPrev, h);
        for (int j = 0; j < hs; j++)
        {
            Assert.True(float.IsFinite(h[j]) && Math.Abs(h[j]) <= 1f + 1e-6f, $"h[{j}] = {h[j]}");
            if (x[hs + j] == 1f) Assert.Equal(hPrev[j], h[j]);
        }
        var dh = Random(rng, hs);
        GruCell.Backward(x, (float[])preH.Clone(), hPrev, dh);
        Assert.All(x, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BadLengthsThrow()
    {
        Assert.Throws<ArgumentException>(() => GruCell.Forward(new float[5], new float[6], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => GruCell.Forward(new float[6], new float[5], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => GruCell.Forward(new float[6], new float[6], new float[2], new float[1]));
        Assert.Throws<ArgumentException>(() => GruCell.Backward(new float[6], new float[5], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => GruCell.Backward(new float[6], new float[6], new float[2], new float[1]));
        Assert.Throws<ArgumentException>(() => GruCell.ForwardScalar(new float[5], new float[6], new float[2], new float[2], 2));
    }
}

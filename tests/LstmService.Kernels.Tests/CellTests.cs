using System.Numerics;
using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

public class CellTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForwardAndBackwardMatchScalarReference(bool peepholes)
    {
        var rng = new SeededRandom(peepholes ? 11UL : 12UL);
        double worstF = 0, worstB = 0;
        for (int hs = 0; hs <= Edge; hs++)
        {
            string what = $"H={hs} peepholes={peepholes}";
            var pre = Random(rng, 4 * hs, -4f, 4f);
            var cPrev = Random(rng, hs, -2f, 2f);
            var peep = peepholes ? Random(rng, 3 * hs, -0.5f, 0.5f) : [];

            var gV = WithSentinels(pre); var cV = SentinelOnly(hs); var tV = SentinelOnly(hs); var hV = SentinelOnly(hs);
            var gS = WithSentinels(pre); var cS = SentinelOnly(hs); var tS = SentinelOnly(hs); var hS = SentinelOnly(hs);
            LstmCell.Forward(gV.AsSpan(0, 4 * hs), cPrev, peep, cV.AsSpan(0, hs), tV.AsSpan(0, hs), hV.AsSpan(0, hs));
            LstmCell.ForwardScalar(gS.AsSpan(0, 4 * hs), cPrev, peep, cS.AsSpan(0, hs), tS.AsSpan(0, hs), hS.AsSpan(0, hs), hs);
            foreach (var (buf, n, name) in new[] { (gV, 4 * hs, "gates"), (cV, hs, "c"), (tV, hs, "tanh(c)"), (hV, hs, "h"),
                                                   (gS, 4 * hs, "scalar gates"), (cS, hs, "scalar c"), (tS, hs, "scalar tanh(c)"), (hS, hs, "scalar h") })
                AssertSentinelsOutside(buf, 0, n, $"{what} forward {name}");
            worstF = Math.Max(worstF, AssertClose(gS.AsSpan(0, 4 * hs), gV.AsSpan(0, 4 * hs), 1e-6, 1e-5, $"{what} gates"));
            worstF = Math.Max(worstF, AssertClose(cS.AsSpan(0, hs), cV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} c"));
            worstF = Math.Max(worstF, AssertClose(tS.AsSpan(0, hs), tV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} tanh(c)"));
            worstF = Math.Max(worstF, AssertClose(hS.AsSpan(0, hs), hV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} h"));

            // The scalar reference against the LSTM equations in double (peepholes: i, f see c_{t-1}; o sees c_t).
            for (int j = 0; j < hs; j++)
            {
                double pi = peepholes ? peep[j] : 0, pf = peepholes ? peep[hs + j] : 0, po = peepholes ? peep[2 * hs + j] : 0;
                double i = Sig(pre[j] + pi * cPrev[j]), f = Sig(pre[hs + j] + pf * cPrev[j]), g = Math.Tanh(pre[2 * hs + j]);
                double c = f * cPrev[j] + i * g, o = Sig(pre[3 * hs + j] + po * c), h = o * Math.Tanh(c);
                AssertClose(new[] { i, f, g, o, c, h }, new[] { gS[j], gS[hs + j], gS[2 * hs + j], gS[3 * hs + j], cS[j], hS[j] }, 2e-6, 1e-5, $"{what} unit {j} (i, f, g, o, c, h)");
            }

            // Backward from the same activated gates.
            var dh = Random(rng, hs);
            var dcIn = Random(rng, hs);
            var bV = WithSentinels(gS.AsSpan(0, 4 * hs)); var dcV = WithSentinels(dcIn);
            var bS = WithSentinels(gS.AsSpan(0, 4 * hs)); var dcS = WithSentinels(dcIn);
            LstmCell.Backward(bV.AsSpan(0, 4 * hs), cPrev, tS.AsSpan(0, hs), peep, dh, dcV.AsSpan(0, hs));
            LstmCell.BackwardScalar(bS.AsSpan(0, 4 * hs), cPrev, tS.AsSpan(0, hs), peep, dh, dcS.AsSpan(0, hs), hs);
            AssertSentinelsOutside(bV, 0, 4 * hs, $"{what} backward gates");
            AssertSentinelsOutside(dcV, 0, hs, $"{what} backward dc");
            AssertSentinelsOutside(bS, 0, 4 * hs, $"{what} scalar backward gates");
            AssertSentinelsOutside(dcS, 0, hs, $"{what} scalar backward dc");
            worstB = Math.Max(worstB, AssertClose(bS.AsSpan(0, 4 * hs), bV.AsSpan(0, 4 * hs), 1e-6, 1e-5, $"{what} d(pre-activations)"));
            worstB = Math.Max(worstB, AssertClose(dcS.AsSpan(0, hs), dcV.AsSpan(0, hs), 1e-6, 1e-5, $"{what} dc_prev"));

            for (int j = 0; j < hs; j++)
            {
                double pi = peepholes ? peep[j] : 0, pf = peepholes ? peep[hs + j] : 0, po = peepholes ? peep[2 * hs + j] : 0;
                double i = gS[j], f = gS[hs + j], g = gS[2 * hs + j], o = gS[3 * hs + j], tc = tS[j];
                double dzo = dh[j] * tc * o * (1 - o);
                double dct = dcIn[j] + dh[j] * o * (1 - tc * tc) + dzo * po;
                double dzi = dct * g * i * (1 - i), dzf = dct * cPrev[j] * f * (1 - f), dzg = dct * i * (1 - g * g);
                double dcp = dct * f + dzi * pi + dzf * pf;
                AssertClose(new[] { dzi, dzf, dzg, dzo, dcp }, new[] { bS[j], bS[hs + j], bS[2 * hs + j], bS[3 * hs + j], dcS[j] }, 2e-6, 1e-5, $"{what} unit {j} backward (dzi, dzf, dzg, dzo, dc_prev)");
            }
        }
        output.WriteLine($"Vector<float>.Count = {Vector<float>.Count}; worst vector-vs-scalar |err| forward {worstF:E2}, backward {worstB:E2}");
    }

    [Fact]
    public void BadLengthsThrow()
    {
        Assert.Throws<ArgumentException>(() => LstmCell.Forward(new float[7], new float[2], default, new float[2], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => LstmCell.Forward(new float[8], new float[2], new float[5], new float[2], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => LstmCell.Forward(new float[8], new float[2], default, new float[1], new float[2], new float[2]));
        Assert.Throws<ArgumentException>(() => LstmCell.Backward(new float[8], new float[2], new float[2], default, new float[1], new float[2]));
        Assert.Throws<ArgumentException>(() => LstmCell.Backward(new float[8], new float[2], new float[2], default, new float[2], new float[1]));
    }

    static readonly float[] SpecialValues =
    [
        0f, -0f, 1e-30f, -1e-30f, 1e-10f, -1e-10f, 1e-5f, -1e-5f, float.Epsilon, -float.Epsilon,
        0.1f, -0.1f, 0.3f, -0.3f, 0.6f, -0.6f, 0.62f, -0.62f, 0.6249f, -0.6249f, 0.625f, -0.625f, 0.6251f, -0.6251f,
        0.7f, -0.7f, 1f, -1f, 2.5f, -2.5f, 5f, -5f, 9f, -9f, 10f, -10f, 15f, -15f, 20f, -20f, 40f, -40f,
        80f, -80f, 87f, -87f, 88f, 100f, -100f, float.PositiveInfinity, float.NegativeInfinity,
    ];

    static float[] Sweep()
    {
        var values = new List<float>(SpecialValues);
        for (int i = -3000; i <= 3000; i++) values.Add(i * 0.01f);     // [-30, 30] in steps of 0.01
        for (int i = -200; i <= 200; i++) values.Add(i * 0.00731f);    // dense around 0 and the 0.625 switch
        var rng = new SeededRandom(13);
        for (int i = 0; i < 2000; i++) values.Add(rng.NextUniform(-87f, 88f));
        while (values.Count % Vector<float>.Count != 0) values.Add(0.5f);
        return values.ToArray();
    }

    static float[] Apply(float[] x, Func<Vector<float>, Vector<float>> f)
    {
        var y = new float[x.Length];
        int w = Vector<float>.Count;
        for (int i = 0; i < x.Length; i += w) f(new Vector<float>(x, i)).CopyTo(y, i);
        return y;
    }

    [Fact]
    public void VectorSigmoidMatchesScalar()
    {
        // sigmoid(x) = (1 + tanh(x / 2)) / 2: relative accuracy in the middle, absolute accuracy (2e-7) where it saturates.
        var x = Sweep();
        var y = Apply(x, Activations.Sigmoid);
        double worstRel = 0, worstAbs = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = Activations.Sigmoid(x[i]);
            double exact = 1 / (1 + Math.Exp(-(double)x[i]));
            Assert.True(Math.Abs(e - exact) <= 4e-7 * exact + 1.2e-38, $"scalar Sigmoid({Fmt(x[i])}) = {Fmt(e)}, exact {Fmt(exact)}.");
            double err = Math.Abs(y[i] - (double)e);
            Assert.True(err <= Math.Max(2e-6 * e, 2e-7), $"Sigmoid({Fmt(x[i])}) = {Fmt(y[i])}, scalar {Fmt(e)}, |err| {err:E2}.");
            Assert.InRange(y[i], 0f, 1f);
            worstAbs = Math.Max(worstAbs, err);
            if (e >= 1e-3f) worstRel = Math.Max(worstRel, err / e);
        }
        output.WriteLine($"Sigmoid: worst |err| {worstAbs:E2}, worst relative error {worstRel:E2} where sigmoid >= 1e-3");
    }

    [Fact]
    public void VectorTanhMatchesMathF()
    {
        var x = Sweep();
        var y = Apply(x, Activations.Tanh);
        double worstRel = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = MathF.Tanh(x[i]);
            double err = Math.Abs(y[i] - (double)e);
            // Relative 1e-5 or absolute 1e-7, whichever is looser; odd symmetry includes the sign of zero.
            Assert.True(err <= Math.Max(1e-5 * Math.Abs(e), 1e-7), $"Tanh({Fmt(x[i])}) = {Fmt(y[i])}, MathF {Fmt(e)}, |err| {err:E2}.");
            Assert.True(Math.Abs(y[i]) <= 1f, $"Tanh({Fmt(x[i])}) = {Fmt(y[i])} is outside [-1, 1].");
            if (x[i] == 0f) Assert.Equal(float.IsNegative(x[i]), float.IsNegative(y[i]));
            if (Math.Abs(x[i]) >= 1e-30f) worstRel = Math.Max(worstRel, err / Math.Abs(e));
        }
        // Odd, bit for bit.
        var neg = Apply(x.Select(v => -v).ToArray(), Activations.Tanh);
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(-y[i]) == BitConverter.SingleToInt32Bits(neg[i]), $"Tanh(-{Fmt(x[i])}) = {Fmt(neg[i])} is not -Tanh({Fmt(x[i])}) = {Fmt(-y[i])}.");
        // Near zero the approximation keeps its relative accuracy (1 - 2/(e^2x + 1) would not).
        foreach (float v in new[] { 1e-30f, 1e-10f, 1e-5f, 1e-3f, -1e-3f })
        {
            float t = Apply(Enumerable.Repeat(v, Vector<float>.Count).ToArray(), Activations.Tanh)[0];
            Assert.True(Math.Abs(t - Math.Tanh(v)) <= 2e-7 * Math.Abs(Math.Tanh(v)), $"Tanh({v}) = {Fmt(t)} lost relative accuracy.");
        }
        output.WriteLine($"Tanh: worst relative error {worstRel:E2} for |x| >= 1e-30");
    }
}

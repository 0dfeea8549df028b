using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

public class OptimizerTests
{
    [Fact]
    public void AdamVectorMatchesScalarReference()
    {
        const float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        var rng = new SeededRandom(71);
        for (int len = 0; len <= Edge; len++)
        {
            var opt = new AdamOptimizer(len, lr, b1, b2, eps, wd);
            var pV = Random(rng, len);
            var pS = (float[])pV.Clone();
            var m = new float[len]; var v = new float[len];
            for (int t = 1; t <= 4; t++)
            {
                var g = Random(rng, len, -2f, 2f);
                if (len > 2) g[1] = 0f; // a zero gradient: the update is then driven by the moments alone
                opt.Step(pV, g);
                var hyper = new AdamOptimizer.AdamHyper(lr, b1, b2, eps, 1f - lr * wd, 1f / (1f - MathF.Pow(b1, t)), 1f / (1f - MathF.Pow(b2, t)));
                AdamOptimizer.StepScalar(pS, g, m, v, hyper);
                AssertClose(pS, pV, 1e-7, 1e-6, $"Adam length {len} step {t}");
            }
            Assert.Equal(4, opt.StepCount);
        }
    }

    [Fact]
    public void AdamFirstStepMovesEachParameterByLearningRate()
    {
        // Bias-corrected first step: m̂ = g, v̂ = g², so p -= lr * g / (|g| + eps) ≈ lr * sign(g), after decay p (1 - lr wd).
        var opt = new AdamOptimizer(3, learningRate: 0.1f, weightDecay: 0.5f);
        float[] p = [1f, -2f, 0.5f];
        opt.Step(p, [0.3f, -7f, 1e-3f]);
        float decay = 1f - 0.1f * 0.5f;
        AssertClose(new[] { 1f * decay - 0.1f, -2f * decay + 0.1f, 0.5f * decay - 0.1f }, p, 1e-5, 1e-5, "Adam step 1");
        Assert.Throws<ArgumentException>(() => opt.Step(new float[2], new float[2]));
    }

    [Fact]
    public void AdamConvergesOnAQuadratic()
    {
        // f(p) = sum a_i (p_i - c_i)^2 with different curvatures.
        var rng = new SeededRandom(72);
        int n = 37;
        var a = Random(rng, n, 0.5f, 2f);
        var c = Random(rng, n, -3f, 3f);
        var p = new float[n];
        var g = new float[n];
        var opt = new AdamOptimizer(n, learningRate: 0.05f);
        double F() { double f = 0; for (int i = 0; i < n; i++) f += a[i] * (p[i] - c[i]) * (p[i] - c[i]); return f; }
        double f0 = F();
        for (int step = 0; step < 1500; step++)
        {
            for (int i = 0; i < n; i++) g[i] = 2 * a[i] * (p[i] - c[i]);
            opt.Step(p, g);
        }
        Assert.True(F() < 1e-6 * f0, $"f went from {f0} to {F()}.");
        AssertClose(c, p, 2e-3, 0, "argmin");
    }

    [Fact]
    public void SgdMomentumTwoSteps()
    {
        // v = 0.9 v + g; p -= lr v. g = 0.5, lr = 0.1: v1 = 0.5, p1 = 0.95; v2 = 0.95, p2 = 0.855.
        var sgd = new SgdOptimizer(2, learningRate: 0.1f, momentum: 0.9f);
        float[] p = [1f, -1f];
        sgd.Step(p, [0.5f, -0.25f]);
        AssertClose(new[] { 0.95f, -0.975f }, p, 1e-7, 1e-6, "SGD step 1");
        sgd.Step(p, [0.5f, -0.25f]);
        AssertClose(new[] { 0.855f, -0.9275f }, p, 1e-7, 1e-6, "SGD step 2");

        // Decoupled weight decay 0.1: p = p (1 - 0.01) - lr v. Step 1: 0.99 - 0.05 = 0.94; step 2: 0.9306 - 0.095 = 0.8356.
        var wd = new SgdOptimizer(1, learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.1f);
        float[] q = [1f];
        wd.Step(q, [0.5f]);
        Assert.Equal(0.94f, q[0], 1e-6f);
        wd.Step(q, [0.5f]);
        Assert.Equal(0.8356f, q[0], 1e-6f);
        Assert.Throws<ArgumentException>(() => wd.Step(new float[2], new float[2]));
    }

    [Fact]
    public void ClipByGlobalNorm()
    {
        float[] g = [3f, 4f];
        Assert.Equal(5f, GradientClipping.ClipByGlobalNorm(g, 1f), 1e-6f);
        AssertClose(new[] { 0.6f, 0.8f }, g, 1e-6, 1e-6, "clipped");

        float[] small = [3f, 4f];
        Assert.Equal(5f, GradientClipping.ClipByGlobalNorm(small, 10f), 1e-6f);
        Assert.Equal([3f, 4f], small); // under the limit: untouched

        var rng = new SeededRandom(73);
        var big = Random(rng, 1001, -5f, 5f);
        double norm = Math.Sqrt(big.Sum(v => (double)v * v));
        Assert.Equal(norm, GradientClipping.ClipByGlobalNorm(big, 2.5f), 1e-3);
        Assert.Equal(2.5, Math.Sqrt(big.Sum(v => (double)v * v)), 1e-4);

        float[] zero = [0f, 0f];
        Assert.Equal(0f, GradientClipping.ClipByGlobalNorm(zero, 1f));
        Assert.Equal([0f, 0f], zero);
        Assert.ThrowsAny<ArgumentException>(() => GradientClipping.ClipByGlobalNorm(g, 0f));
        Assert.ThrowsAny<ArgumentException>(() => GradientClipping.ClipByGlobalNorm(g, float.NaN));
    }
}

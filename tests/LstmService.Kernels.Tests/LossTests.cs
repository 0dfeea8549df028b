namespace LstmService.Kernels.Tests;

/// <summary>Hand-computed loss values and gradients.</summary>
public class LossTests
{
    const float Tol = 1e-6f;

    static void Near(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= Tol, $"[{i}]: {actual[i]}, expected {expected[i]}.");
    }

    [Fact]
    public void MeanSquaredError()
    {
        var g = new float[2];
        Assert.Equal(2.5f, Losses.MeanSquaredError([1f, 2f], [0f, 0f], g), Tol);
        Near([1f, 2f], g); // d/dp mean(d^2) = 2 d / n
        var g3 = new float[3];
        Assert.Equal(13f / 3f, Losses.MeanSquaredError([-1f, 0f, 3f], [1f, 0f, 0f], g3), Tol);
        Near([-4f / 3f, 0f, 2f], g3);
    }

    [Fact]
    public void MissingTargetsAreMaskedAndExcludedFromTheMean()
    {
        var g = new float[] { 9f, 9f, 9f };
        // Observed: d = 1 and d = 2 -> (1 + 4) / 2.
        Assert.Equal(2.5f, Losses.MeanSquaredError([1f, 2f, 3f], [0f, float.NaN, 1f], g), Tol);
        Near([1f, 0f, 2f], g);
        // Every target missing: zero loss, zero gradient (no NaN from 0/0).
        var g2 = new float[] { 9f, 9f };
        Assert.Equal(0f, Losses.MeanSquaredError([1f, 2f], [float.NaN, float.NaN], g2));
        Near([0f, 0f], g2);
        Assert.Equal(0f, Losses.Huber([1f], [float.NaN], g2.AsSpan(0, 1)));
    }

    [Fact]
    public void Huber()
    {
        var g = new float[3];
        // delta 1: 0.5 * 0.5^2 = 0.125 (quadratic), 1 * (3 - 0.5) = 2.5 (linear), NaN ignored -> mean over 2.
        Assert.Equal((0.125f + 2.5f) / 2f, Losses.Huber([0.5f, 3f, 7f], [0f, 0f, float.NaN], g, 1f), Tol);
        Near([0.25f, 0.5f, 0f], g);
        var g1 = new float[1];
        Assert.Equal(2.5f, Losses.Huber([-3f], [0f], g1), Tol);
        Near([-1f], g1);
        // delta 2 on d = 1.5: quadratic.
        Assert.Equal(1.125f, Losses.Huber([2.5f], [1f], g1, 2f), Tol);
        Near([1.5f], g1);
        Assert.ThrowsAny<ArgumentException>(() => Losses.Huber([1f], [1f], new float[1], 0f));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Huber([1f], [1f], new float[1], float.NaN));
    }

    [Fact]
    public void PinballLowAndHighQuantiles()
    {
        var g = new float[2];
        // Target 1 above both predictions (0): tau * d -> 0.1 and 0.9, mean 0.5; gradient -tau / 2.
        Assert.Equal(0.5f, Losses.Pinball([0f, 0f], [1f], [0.1f, 0.9f], 1, g), Tol);
        Near([-0.05f, -0.45f], g);
        // Target 1 below both predictions (2): (1 - tau) |d| -> 0.9 and 0.1; gradient (1 - tau) / 2.
        Assert.Equal(0.5f, Losses.Pinball([2f, 2f], [1f], [0.1f, 0.9f], 1, g), Tol);
        Near([0.45f, 0.05f], g);
    }

    [Fact]
    public void PinballLayoutAndMissingTargets()
    {
        // Targets [rows = 2, S = 2]; predictions [rows, Q = 2, S]; index (r * Q + k) * S + s.
        float[] target = [1f, float.NaN, 0f, 2f];
        float[] pred = [0f, 5f, 3f, 5f, 1f, 1f, -1f, 2f];
        var g = new float[8];
        // r0 s0 (y 1): q.1 pred 0 -> 0.1; q.9 pred 3 -> 0.1 * 2 = 0.2.  r0 s1 missing.
        // r1 s0 (y 0): q.1 pred 1 -> 0.9; q.9 pred -1 -> 0.9.  r1 s1 (y 2): q.1 pred 1 -> 0.1; q.9 pred 2 -> 0.
        // Sum 2.2 over 3 observed targets x 2 levels.
        Assert.Equal(2.2f / 6f, Losses.Pinball(pred, target, [0.1f, 0.9f], 2, g), Tol);
        Near([-0.1f / 6, 0f, 0.1f / 6, 0f, 0.9f / 6, -0.1f / 6, -0.9f / 6, 0.1f / 6], g);
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        Assert.ThrowsAny<ArgumentException>(() => Losses.MeanSquaredError([1f, 2f], [1f], new float[2]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.MeanSquaredError([1f, 2f], [1f, 2f], new float[1]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f], [1f], [], 1, new float[1]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f], [1f], [0f], 1, new float[1]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f], [1f], [1f], 1, new float[1]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f, 2f], [1f], [0.5f], 1, new float[2]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f, 2f, 3f], [1f, 2f, 3f], [0.5f], 2, new float[3]));
        Assert.ThrowsAny<ArgumentException>(() => Losses.Pinball([1f], [1f], [0.5f], 0, new float[1]));
    }

    [Fact]
    public void SoftmaxCrossEntropy_is_the_weighted_mean_of_minus_log_p_and_its_gradient_matches_finite_differences()
    {
        float[] logits = [2f, 0f, -1f, 0.5f, 0.5f, 3f];
        int[] targets = [0, 2];
        float[] weights = [1f, 1f, 3f];
        var p = new float[6];
        var g = new float[6];
        float loss = Losses.SoftmaxCrossEntropy(logits, targets, weights, p, g);
        // Row 0: softmax(2, 0, -1); row 1: softmax(0.5, 0.5, 3); weights 1 and 3.
        double z0 = Math.Exp(2) + 1 + Math.Exp(-1), z1 = 2 * Math.Exp(0.5) + Math.Exp(3);
        double expected = (-Math.Log(Math.Exp(2) / z0) - 3 * Math.Log(Math.Exp(3) / z1)) / 4;
        Assert.Equal(expected, loss, 5);
        Assert.Equal(Math.Exp(2) / z0, p[0], 5);
        Assert.Equal(1.0, p[3] + p[4] + p[5], 5);
        for (int i = 0; i < logits.Length; i++)
        {
            const float h = 1e-2f;
            var plus = (float[])logits.Clone(); plus[i] += h;
            var minus = (float[])logits.Clone(); minus[i] -= h;
            var scratch = new float[6];
            double numeric = (Losses.SoftmaxCrossEntropy(plus, targets, weights, scratch, new float[6])
                - Losses.SoftmaxCrossEntropy(minus, targets, weights, scratch, new float[6])) / (2 * h);
            Assert.True(Math.Abs(numeric - g[i]) < 2e-3, $"[{i}]: analytic {g[i]}, numeric {numeric}");
        }
        // Huge logits stay finite (shifted by the row's maximum).
        Assert.True(float.IsFinite(Losses.SoftmaxCrossEntropy([1000f, -1000f], [1], [1f, 1f], new float[2], new float[2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy([0f, 0f], [2], [1f, 1f], new float[2], new float[2]));
    }
}

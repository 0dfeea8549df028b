using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>The least-squares convex combination the mix uses where the network's correction is active.</summary>
public class ConvexStackingTests
{
    /// <summary>Σ f fᵀ and Σ f y of <paramref name="forecasts"/> ([values][k]) against <paramref name="targets"/>.</summary>
    static (double[] Gram, double[] Cross) Sums(double[][] forecasts, double[] targets)
    {
        int k = forecasts[0].Length;
        var gram = new double[k * k];
        var cross = new double[k];
        for (int i = 0; i < targets.Length; i++)
            for (int a = 0; a < k; a++)
            {
                cross[a] += forecasts[i][a] * targets[i];
                for (int b = 0; b < k; b++) gram[a * k + b] += forecasts[i][a] * forecasts[i][b];
            }
        return (gram, cross);
    }

    static double SquaredError(double[][] forecasts, double[] targets, double[] weights) =>
        targets.Select((y, i) => { double p = forecasts[i].Zip(weights, (f, w) => f * w).Sum(); return (y - p) * (y - p); }).Sum();

    static (double[][] Forecasts, double[] Targets) Forecasters(int values, int k, ulong seed, Func<double[], double, double> target)
    {
        var rng = new SeededRandom(seed);
        var forecasts = new double[values][];
        var targets = new double[values];
        for (int i = 0; i < values; i++)
        {
            // Correlated forecasters: a common signal plus each one's own error.
            double signal = 10 * Math.Sin(i / 7.0);
            forecasts[i] = Enumerable.Range(0, k).Select(j => signal + (j + 1) * 0.5 * rng.NextGaussian()).ToArray();
            targets[i] = target(forecasts[i], rng.NextGaussian());
        }
        return (forecasts, targets);
    }

    [Fact]
    public void RecoversTheCombinationATargetWasMadeOf()
    {
        var (forecasts, targets) = Forecasters(4000, 3, 5, (f, noise) => 0.7 * f[0] + 0.3 * f[2] + 0.05 * noise);
        var (gram, cross) = Sums(forecasts, targets);
        var weights = ConvexStacking.Weights(gram, cross, 3)!;
        Assert.Equal(0.7, weights[0], 2);
        Assert.Equal(0.0, weights[1], 2);
        Assert.Equal(0.3, weights[2], 2);
    }

    [Theory]
    [InlineData(2, 11UL)]
    [InlineData(3, 12UL)]
    [InlineData(4, 13UL)]
    [InlineData(6, 14UL)]
    public void NoPointOfTheSimplexDoesBetter(int k, ulong seed)
    {
        // Targets the forecasters' convex hull cannot reach (an unconstrained fit would weigh some negatively).
        var (forecasts, targets) = Forecasters(300, k, seed, (f, noise) => 1.6 * f[0] - 0.6 * f[k - 1] + noise);
        var (gram, cross) = Sums(forecasts, targets);
        var weights = ConvexStacking.Weights(gram, cross, k)!;
        Assert.All(weights, w => Assert.True(w >= 0, $"weight {w} is negative"));
        Assert.Equal(1, weights.Sum(), 9);
        double best = SquaredError(forecasts, targets, weights);
        // Random points of the simplex (normalised exponentials: uniform on it) and its vertices never do better.
        var rng = new SeededRandom(seed + 100);
        var candidates = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var e = Enumerable.Range(0, k).Select(_ => -Math.Log(1 - (double)rng.NextFloat())).ToArray();
            return e.Select(v => v / e.Sum()).ToArray();
        }).Concat(Enumerable.Range(0, k).Select(j => Enumerable.Range(0, k).Select(i => i == j ? 1.0 : 0.0).ToArray()));
        foreach (var candidate in candidates)
            Assert.True(best <= SquaredError(forecasts, targets, candidate) * (1 + 1e-9), $"[{string.Join(", ", candidate)}] beats [{string.Join(", ", weights)}]");
    }

    [Fact]
    public void IdenticalForecastersShareWithoutFailing()
    {
        // Two smoothings of a random walk can forecast the same numbers: a singular system still gives weights summing to one.
        var (forecasts, targets) = Forecasters(200, 2, 7, (f, noise) => f[0] + noise);
        var doubled = forecasts.Select(f => new[] { f[0], f[0], f[1] }).ToArray();
        var (gram, cross) = Sums(doubled, targets);
        var weights = ConvexStacking.Weights(gram, cross, 3)!;
        Assert.All(weights, w => Assert.True(double.IsFinite(w) && w >= 0));
        Assert.Equal(1, weights.Sum(), 9);
        // The same combination as without the copy: the pair's weights add up to the original forecaster's.
        var (gram2, cross2) = Sums(forecasts, targets);
        var single = ConvexStacking.Weights(gram2, cross2, 2)!;
        Assert.Equal(single[0], weights[0] + weights[1], 6);
        Assert.Equal(single[1], weights[2], 6);
    }

    [Fact]
    public void NothingSolvableOrNotFiniteGivesNoWeights()
    {
        // Every forecast zero: no subset's system is solvable; a diverged forecaster: the sums are not finite.
        Assert.Null(ConvexStacking.Weights(new double[9], new double[3], 3));
        var (forecasts, targets) = Forecasters(50, 3, 8, (f, noise) => f[0] + noise);
        var (gram, cross) = Sums(forecasts, targets);
        gram[4] = double.PositiveInfinity;
        Assert.Null(ConvexStacking.Weights(gram, cross, 3));
        gram[4] = double.NaN;
        Assert.Null(ConvexStacking.Weights(gram, cross, 3));
    }

    [Fact]
    public void RefusesShapesItCannotSolve()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvexStacking.Weights(new double[0], new double[0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvexStacking.Weights(new double[169], new double[13], 13));
        Assert.Throws<ArgumentException>(() => ConvexStacking.Weights(new double[4], new double[3], 2));
    }
}

using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// The convex combination of forecasts (weights non-negative, summing to one) with the least squared error over scored
/// values: stacked regression (Breiman's, whose weights are non-negative) with the weights also summing to one. Exact for
/// the handful of forecasters a model mixes: every subset's least squares under the sum-to-one constraint, the best of
/// those whose weights are all non-negative.
/// </summary>
internal static class ConvexStacking
{
    /// <summary>Forecasters the exhaustive search handles (2^k subsets).</summary>
    public const int MaxForecasters = 12;

    /// <summary>
    /// Weights for <paramref name="k"/> forecasters from their sums over the scored values: <paramref name="gram"/> = Σ f fᵀ
    /// ([k, k] row-major) and <paramref name="cross"/> = Σ f y. A forecaster that adds nothing gets weight 0. Null when the
    /// sums are not finite (a diverged forecaster) or no subset's system is solvable (every forecast zero): the caller falls
    /// back to another rule.
    /// </summary>
    public static double[]? Weights(ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxForecasters);
        if (gram.Length != k * k || cross.Length != k) throw new ArgumentException("gram is [k, k] and cross [k].");
        foreach (var v in gram) if (!double.IsFinite(v)) return null;
        foreach (var v in cross) if (!double.IsFinite(v)) return null;
        double[]? best = null;
        double bestLoss = double.PositiveInfinity;
        var w = new double[k];
        for (int mask = 1; mask < 1 << k; mask++)
        {
            if (!SubsetWeights(gram, cross, k, mask, w)) continue;
            // The squared error less Σ y², the same for every candidate: wᵀ G w - 2 wᵀ c.
            double loss = 0;
            for (int a = 0; a < k; a++)
            {
                if (w[a] == 0) continue;
                double g = 0;
                for (int b = 0; b < k; b++) g += gram[a * k + b] * w[b];
                loss += w[a] * (g - 2 * cross[a]);
            }
            if (loss < bestLoss)
            {
                bestLoss = loss;
                best = (double[])w.Clone();
            }
        }
        return best;
    }

    /// <summary>
    /// Least squares over the forecasters in <paramref name="mask"/> with weights summing to one: w = G⁻¹c + μ G⁻¹1, μ chosen
    /// for the sum. False when the subset's system is singular or a weight is negative.
    /// </summary>
    private static bool SubsetWeights(ReadOnlySpan<double> gram, ReadOnlySpan<double> cross, int k, int mask, double[] w)
    {
        Span<int> index = stackalloc int[k];
        int m = 0;
        for (int j = 0; j < k; j++) if ((mask >> j & 1) != 0) index[m++] = j;
        var g = new double[m * m];
        var gc = new double[m];
        var g1 = new double[m];
        // A ridge relative to the subset's own scale keeps nearly identical forecasters (two smoothings of a random walk) solvable.
        double ridge = 0;
        for (int a = 0; a < m; a++) ridge += gram[index[a] * k + index[a]];
        ridge *= 1e-10 / m;
        for (int a = 0; a < m; a++)
        {
            for (int b = 0; b < m; b++) g[a * m + b] = gram[index[a] * k + index[b]];
            g[a * m + a] += ridge;
            gc[a] = cross[index[a]];
            g1[a] = 1;
        }
        var copy = (double[])g.Clone();
        if (!Cholesky.Solve(g, gc, m) || !Cholesky.Solve(copy, g1, m)) return false;
        double sumC = 0, sumOne = 0;
        for (int a = 0; a < m; a++) { sumC += gc[a]; sumOne += g1[a]; }
        if (!(sumOne > 0)) return false;
        double mu = (1 - sumC) / sumOne;
        Array.Clear(w);
        for (int a = 0; a < m; a++)
        {
            double v = gc[a] + mu * g1[a];
            if (v < 0) return false;
            w[index[a]] = v;
        }
        return true;
    }
}

using LstmService.Forecasting.Evaluation;

namespace LstmService.Forecasting.Training;

/// <summary>
/// For each series of a model trained on several, how far its own residuals reach against the pooled calibration: per
/// quantile level τ, the factor c by which every step's offset is scaled so that a share τ of the series' residuals lies
/// below the scaled offset. The pooled offsets fit no series in particular: an intermittent series beside a weekly one, a
/// flat one and an all-zero one (whose residuals are all zero) had covered 0.27 of its 0.1-0.9 interval (a QA pass).
/// </summary>
internal static class SeriesIntervalScales
{
    /// <summary>A series with fewer windows keeps the pooled offsets (factor 1).</summary>
    public const int MinimumWindows = Conformal.MinSamples;

    /// <summary>
    /// Windows at which a series' own factor and the pooled one (1) weigh alike: the factor is 1 + (raw - 1) n / (n + this),
    /// so 30 windows go halfway from 1 to the raw factor and 300 go 91% of the way. A quantile of 30 residuals moves a lot
    /// by chance, and a raw factor of 0 (no residual on that side) would otherwise close that side whatever the count.
    /// </summary>
    public const double ShrinkageWindows = 30;

    /// <summary>The largest factor: a series whose residuals reach further is wider still than the pooled offsets can say.</summary>
    public const float Largest = 10f;

    /// <summary>
    /// Each series' factors ([Q], 1 at the median), or null for a series with fewer than <see cref="MinimumWindows"/>
    /// windows; null altogether for a single series, which the pooled offsets already fit.
    /// </summary>
    /// <param name="residuals">Per horizon step, the residuals the pooled offsets were taken over (in the same units).</param>
    /// <param name="seriesOf">Per horizon step, the series of each residual (parallel to <paramref name="residuals"/>).</param>
    /// <param name="offsets">The pooled offsets, [Q, steps].</param>
    /// <param name="windows">Per series, its windows among those the residuals come from.</param>
    public static float[]?[]? Of(IReadOnlyList<List<float>> residuals, IReadOnlyList<List<int>> seriesOf, ReadOnlySpan<float> offsets, IReadOnlyList<float> quantiles,
        IReadOnlyList<int> windows)
    {
        int count = windows.Count, s = residuals.Count, q = quantiles.Count;
        if (count < 2 || q == 0) return null;
        // Each series' residuals with their steps, gathered once (a model may hold thousands of series).
        var own = new List<(int Step, float Residual)>?[count];
        for (int t = 0; t < s; t++)
            for (int j = 0; j < residuals[t].Count; j++)
            {
                int i = seriesOf[t][j];
                if (windows[i] >= MinimumWindows) (own[i] ??= []).Add((t, residuals[t][j]));
            }
        var scales = new float[]?[count];
        var ratios = new List<float>();
        for (int i = 0; i < count; i++)
        {
            if (own[i] is not { } mine) continue;
            var factors = new float[q];
            double weight = windows[i] / (windows[i] + ShrinkageWindows);
            for (int k = 0; k < q; k++)
            {
                float tau = quantiles[k];
                factors[k] = 1f;
                if (tau == 0.5f) continue;
                // An offset on the wrong side of the mean (or none) has no reach to scale: its steps are left out.
                ratios.Clear();
                foreach (var (t, r) in mine)
                {
                    float offset = offsets[k * s + t];
                    if (tau > 0.5f ? offset > 1e-6f : offset < -1e-6f) ratios.Add(r / Math.Abs(offset));
                }
                if (ratios.Count < MinimumWindows) continue;
                double quantile = Conformal.EmpiricalQuantile(ratios, tau);
                double raw = Math.Clamp(tau > 0.5f ? quantile : -quantile, 0, Largest);
                factors[k] = (float)(1 + (raw - 1) * weight);
            }
            scales[i] = factors;
        }
        return scales;
    }
}

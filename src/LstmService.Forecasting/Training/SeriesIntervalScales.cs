using LstmService.Forecasting.Evaluation;

namespace LstmService.Forecasting.Training;

/// <summary>
/// For each series of a model trained on several, how far its own residuals reach against the pooled calibration: per
/// quantile level τ, the factor c by which every step's offset is scaled so that a share τ of the series' residuals lies
/// below the scaled offset, then one exponent b by which the factors grow (or shrink) with the step, (t + 1)^b about the
/// steps' geometric middle (<see cref="StepFactor"/>). The pooled offsets fit no series in particular: an intermittent
/// series beside a weekly one, a flat one and an all-zero one (whose residuals are all zero) had covered 0.27 of its 0.1-0.9
/// interval, and a random walk among stationary series 0.93 at the first step but 0.69 at the seventh (QA passes).
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
    /// The largest step exponent either way: a series whose errors grow like its horizon (a trend the mix misses) against
    /// pooled offsets that do not grow has about 1; a random walk's spread grows as the square root of the step.
    /// </summary>
    public const float LargestExponent = 1.5f;

    /// <summary>The mean of log(t + 1) over the steps t = 0 .. <paramref name="steps"/> - 1: where <see cref="StepFactor"/> is 1.</summary>
    public static double MeanLogStep(int steps)
    {
        double sum = 0;
        for (int t = 1; t <= steps; t++) sum += Math.Log(t);
        return steps > 0 ? sum / steps : 0;
    }

    /// <summary>
    /// How much wider than its level's factor step <paramref name="step"/> (from 0) is under the exponent b:
    /// exp(b (log(step + 1) - <paramref name="meanLogStep"/>)), so the factors' geometric mean over the steps is the level's.
    /// </summary>
    public static float StepFactor(float exponent, int step, double meanLogStep) =>
        exponent == 0 ? 1f : (float)Math.Exp(exponent * (Math.Log(step + 1) - meanLogStep));

    /// <summary>
    /// Each series' factors ([Q + 1]: per level, 1 at the median, then the step exponent), or null for a series with fewer
    /// than <see cref="MinimumWindows"/> windows; null altogether for a single series, which the pooled offsets already fit.
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
        double meanLog = MeanLogStep(s);
        var pooledReach = PooledReach(offsets, quantiles, s);
        for (int i = 0; i < count; i++)
        {
            if (own[i] is not { } mine) continue;
            var factors = new float[q + 1];
            double weight = windows[i] / (windows[i] + ShrinkageWindows);
            float exponent = factors[q] = (float)(Exponent(mine, pooledReach) * weight);
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
                    if (tau > 0.5f ? offset > 1e-6f : offset < -1e-6f) ratios.Add(r / (Math.Abs(offset) * StepFactor(exponent, t, meanLog)));
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

    /// <summary>Per step, the pooled offsets' mean reach over the levels other than the median (0 where there are none).</summary>
    static double[] PooledReach(ReadOnlySpan<float> offsets, IReadOnlyList<float> quantiles, int s)
    {
        var reach = new double[s];
        for (int t = 0; t < s; t++)
        {
            int sides = 0;
            for (int k = 0; k < quantiles.Count; k++)
                if (quantiles[k] != 0.5f) { reach[t] += Math.Abs(offsets[k * s + t]); sides++; }
            reach[t] = sides > 0 ? reach[t] / sides : 0;
        }
        return reach;
    }

    /// <summary>
    /// How a series' reach grows with the step against the pooled offsets: the least-squares slope of the log of each step's
    /// median |residual| over the pooled offsets' mean reach at that step (<paramref name="pooledReach"/>), against
    /// log(t + 1), within ±<see cref="LargestExponent"/>; 0 with fewer than two steps that have both.
    /// </summary>
    static double Exponent(List<(int Step, float Residual)> mine, double[] pooledReach)
    {
        int s = pooledReach.Length;
        var reach = new List<float>[s];
        for (int t = 0; t < s; t++) reach[t] = [];
        foreach (var (t, r) in mine) reach[t].Add(Math.Abs(r));
        var x = new List<double>();
        var y = new List<double>();
        for (int t = 0; t < s; t++)
        {
            if (!(pooledReach[t] > 1e-6) || reach[t].Count < MinimumWindows) continue;
            double median = Conformal.EmpiricalQuantile(reach[t], 0.5f);
            if (!(median > 0)) continue;
            x.Add(Math.Log(t + 1));
            y.Add(Math.Log(median / pooledReach[t]));
        }
        if (x.Count < 2) return 0;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int j = 0; j < x.Count; j++) { sxy += (x[j] - mx) * (y[j] - my); sxx += (x[j] - mx) * (x[j] - mx); }
        return sxx > 0 ? Math.Clamp(sxy / sxx, -LargestExponent, LargestExponent) : 0;
    }
}

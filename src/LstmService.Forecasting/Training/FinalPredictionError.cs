using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// Akaike's final prediction error for a mix's in-sample residuals: a model with k parameters fitted on n values leaves
/// residuals whose variance is about (n - k) / n of the noise, and its forecasts carry (n + k) / n of it, so in-sample
/// residuals understate the out-of-sample spread by √((n + k) / (n - k)). A short series' intervals come from such residuals
/// (its validation part holds too few windows to widen them): with 29 monthly values a trended seasonal smoothing has 16
/// parameters, a factor of 1.86.
/// </summary>
internal static class FinalPredictionError
{
    /// <summary>The largest factor applied: k close to n says the count is meaningless there, not that intervals should explode.</summary>
    public const double MaxFactor = 3;

    /// <summary>
    /// The factor √((n + k) / (n - k)) for <paramref name="parameters"/> (k) estimated from <paramref name="values"/> (n),
    /// at most <see cref="MaxFactor"/> (also where k ≥ n); 1 without parameters.
    /// </summary>
    public static double Factor(double values, double parameters)
    {
        if (!(values > 0) || !(parameters >= 0)) throw new ArgumentOutOfRangeException(nameof(values), "Values must be positive and parameters non-negative.");
        return values > parameters ? Math.Min(MaxFactor, Math.Sqrt((values + parameters) / (values - parameters))) : MaxFactor;
    }

    /// <summary>
    /// Each series' factor for the mix's <paramref name="parameters"/>: the members' states (levels, seasons, means) are each
    /// series' own, so n is that series' observed values before its validation part, not the pool's.
    /// </summary>
    public static float[] Factors(WindowedData data, double parameters)
    {
        var factors = new float[data.Raw.Length];
        for (int i = 0; i < factors.Length; i++)
        {
            int observed = data.ValidationStart[i] - SeriesMath.CountMissing(data.Raw[i].AsSpan(0, data.ValidationStart[i]));
            factors[i] = observed > 0 ? (float)Factor(observed, parameters) : 1f;
        }
        return factors;
    }

    /// <summary>
    /// Parameters of the mix (weights: the silenced network, each classical member, then the highway when it is a member),
    /// each forecaster's count weighted by its share: the smoothing's (as R's ets counts them), theta's, the autoregression's
    /// and the highway's coefficients; the network forecasts the members' mean and counts as their average. The covariates'
    /// effect (its coefficients per step) moves every member and counts in full.
    /// </summary>
    public static double MixParameters(StatisticalEnsemble statistics, LinearHighway? highway, IReadOnlyList<float> weights)
    {
        var counts = new List<double> { statistics.Smoothing.ParameterCount, statistics.Theta.ParameterCount, statistics.Autoregression.ParameterCount };
        if (highway is not null) counts.Add(highway.ParameterCount);
        if (weights.Count != counts.Count + 1) throw new ArgumentException($"Expected {counts.Count + 1} weights (the network first).", nameof(weights));
        double mix = weights[0] * counts.Average() + (statistics.CovariateEffect?.FeatureCount ?? 0);
        for (int j = 0; j < counts.Count; j++) mix += weights[1 + j] * counts[j];
        return mix;
    }

    /// <summary>
    /// Widens the first <paramref name="factors"/>.Count of <paramref name="residuals"/> (one horizon step's training
    /// windows', each with its series' factor) around their median: r → m + f (r - m), so a bias they share stays where it is.
    /// </summary>
    public static void Widen(List<float> residuals, List<float> factors)
    {
        int count = factors.Count;
        if (count == 0) return;
        var sorted = residuals.GetRange(0, count).ToArray();
        Array.Sort(sorted);
        float median = count % 2 == 1 ? sorted[count / 2] : 0.5f * (sorted[count / 2 - 1] + sorted[count / 2]);
        for (int j = 0; j < count; j++) residuals[j] = median + factors[j] * (residuals[j] - median);
    }
}

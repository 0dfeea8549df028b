using LstmService.Forecasting.Models;
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
    /// Parameters of the mix (weights: the network, each classical member, then the highway when it is a member), each
    /// forecaster's count weighted by its share: the smoothing's (as R's ets counts them), theta's, the autoregression's and the
    /// highway's coefficients; a silenced network forecasts the members' mean and counts as their average.
    /// </summary>
    public static double MixParameters(StatisticalEnsemble statistics, LinearHighway? highway, IReadOnlyList<float> weights)
    {
        var counts = new List<double> { statistics.Smoothing.ParameterCount, statistics.Theta.ParameterCount, statistics.Autoregression.ParameterCount };
        if (highway is not null) counts.Add(highway.ParameterCount);
        if (weights.Count != counts.Count + 1) throw new ArgumentException($"Expected {counts.Count + 1} weights (the network first).", nameof(weights));
        double mix = weights[0] * counts.Average();
        for (int j = 0; j < counts.Count; j++) mix += weights[1 + j] * counts[j];
        return mix;
    }
}

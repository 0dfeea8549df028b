using LstmService.Forecasting.Statistics;

namespace LstmService.Registry;

/// <summary>The classical forecasters a model mixes with its network, fitted on the model's scale (see the architecture's transform).</summary>
/// <param name="Smoothing">The exponential smoothing chosen by AICc.</param>
/// <param name="ThetaSeason">Season the theta method deseasonalises with (1 = none).</param>
/// <param name="AutoregressionLags">Lags of the autoregression on the differenced series.</param>
/// <param name="Weights">Mixing weights, the network first, summing to 1 (network, exponentialSmoothing, theta, autoregression).</param>
/// <param name="NetworkScale">Factor on the network's output: 1 as trained, 0 when the series was too short to trust its
/// correction (the network is then not run at all; its weights are kept for export). null in versions stored before it was recorded.</param>
/// <param name="IntervalSpread">0: the intervals' offsets are added as they are; above 0: each is multiplied by this floor plus the
/// forecasters' disagreement at its step (<see cref="StatisticalEnsemble.IntervalSpread"/>). null in versions stored before it was recorded.</param>
public sealed record StatisticsInfo(SmoothingInfo Smoothing, int ThetaSeason, IReadOnlyList<int> AutoregressionLags, IReadOnlyDictionary<string, float> Weights,
    float? NetworkScale = null, float? IntervalSpread = null)
{
    public static StatisticsInfo? Of(StatisticalEnsemble? statistics, float networkScale = 1f) => statistics is null ? null : new(
        new SmoothingInfo(statistics.Smoothing.Name, statistics.Smoothing.Season),
        statistics.Theta.Season,
        statistics.Autoregression.Lags.ToArray(),
        // Named by the library's member names, in its order, so a member added there shows up here without a new field.
        StatisticalEnsemble.MemberNames.Zip(statistics.Weights).ToDictionary(p => p.First, p => p.Second),
        networkScale,
        statistics.IntervalSpread);
}

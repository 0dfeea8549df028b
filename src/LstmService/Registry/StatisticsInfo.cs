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
/// <param name="Covariates">The covariates whose changes move the classical members' forecasts (<see cref="CovariateEffect"/>);
/// null when none does (no covariates, or none lowered the validation error by more than one standard error).</param>
/// <param name="CovariateLevels">The regression on the known covariates' levels the series is taken less of first
/// (<see cref="Forecasting.Statistics.CovariateLevels"/>); null when there is none (no covariate known in advance, or none significant).</param>
/// <param name="SeriesIntervalScales">In a model of several series, how many training series keep their own interval scales
/// (<see cref="Forecasting.Models.ForecastModel.SeriesIntervalScales"/>), which a forecast naming their id applies; null: none.</param>
/// <param name="SeriesMixWeights">In a model of several series, how many training series keep their own mixing weights
/// (<see cref="Forecasting.Models.ForecastModel.SeriesMixWeights"/>); null: none.</param>
public sealed record StatisticsInfo(SmoothingInfo Smoothing, int ThetaSeason, IReadOnlyList<int> AutoregressionLags, IReadOnlyDictionary<string, float> Weights,
    float? NetworkScale = null, float? IntervalSpread = null, IReadOnlyList<string>? Covariates = null, CovariateLevelsInfo? CovariateLevels = null,
    int? SeriesIntervalScales = null, int? SeriesMixWeights = null)
{
    /// <param name="statistics">The model's classical forecasters (null: none, and no statistics shown).</param>
    /// <param name="networkScale">The factor on the network's output (<see cref="NetworkScale"/>).</param>
    /// <param name="covariates">The model's covariates, in its order (those the covariate effect's flags refer to).</param>
    /// <param name="scaledSeries">The training series with their own interval scales (<see cref="SeriesIntervalScales"/>; 0: none).</param>
    /// <param name="weightedSeries">The training series with their own mixing weights (<see cref="SeriesMixWeights"/>; 0: none).</param>
    public static StatisticsInfo? Of(StatisticalEnsemble? statistics, float networkScale, IReadOnlyList<string> covariates, int scaledSeries = 0, int weightedSeries = 0) =>
        statistics is null ? null : new(
        new SmoothingInfo(statistics.Smoothing.Name, statistics.Smoothing.Season),
        statistics.Theta.Season,
        statistics.Autoregression.Lags.ToArray(),
        // Named by the library's member names, in its order, so a member added there shows up here without a new field.
        StatisticalEnsemble.MemberNames.Zip(statistics.Weights).ToDictionary(p => p.First, p => p.Second),
        networkScale,
        statistics.IntervalSpread,
        statistics.CovariateEffect is { } effect ? covariates.Where((_, j) => effect.Used[j]).ToArray() : null,
        statistics.CovariateLevels is { } levels
            ? new CovariateLevelsInfo(covariates.Select((name, j) => (name, j)).Where(c => levels.Reads(c.j)).ToDictionary(c => c.name, c => levels.Coefficients[c.j]), levels.Difference, levels.Multiplicative)
            : null,
        scaledSeries > 0 ? scaledSeries : null,
        weightedSeries > 0 ? weightedSeries : null);
}

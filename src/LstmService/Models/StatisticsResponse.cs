using LstmService.Registry;

namespace LstmService.Models;

/// <summary>The classical forecasters a model mixes with its network, fitted on the model's scale (see the architecture's transform).</summary>
/// <param name="Smoothing">The exponential smoothing chosen by AICc.</param>
/// <param name="ThetaSeason">Season the theta method deseasonalises with (1 = none).</param>
/// <param name="AutoregressionLags">Lags of the autoregression on the differenced series.</param>
/// <param name="Weights">Mixing weights, summing to 1: network, exponentialSmoothing, theta, autoregression.</param>
/// <param name="NetworkScale">Factor on the network's output: 1 as trained, 0 when the series was too short to trust its
/// correction (the network is then not run; forecasts come from the highway and the classical members); null for versions stored before it was recorded.</param>
/// <param name="IntervalSpread">How the quantiles are set around the mean: 0, by offsets of one width for every forecast; above 0 (1 by
/// default), by offsets in units of this floor plus the forecasters' disagreement at each step (in the history's mean absolute
/// steps under the default windowLevel scaling), so intervals widen where the network and the classical members read the history differently; null for versions
/// stored before it was recorded (their offsets are absolute).</param>
/// <param name="Covariates">The series' covariates whose changes move the classical members' forecasts (a regression per horizon
/// step on each one's last changes and, for those known in advance, their change to the step, fitted on what the members
/// missed; a covariate is read only when it lowered their error on the validation part by more than one standard error). null when the classical members read
/// the series alone (no covariates, or none that helped); the network, where it is on, reads every covariate either way. A
/// covariate the regression on levels reads (<paramref name="CovariateLevels"/>) is not read here too.</param>
/// <param name="CovariateLevels">The regression on the known covariates' levels the series is taken less of before every
/// forecaster reads it; null when there is none (a model of several series, no covariate known in advance, or none significant).</param>
/// <param name="SeriesIntervalScales">In a model of several series, how many training series keep intervals scaled to their own
/// residuals, which a forecast (or a stream) naming the series' id gets; a history without an id, or under another id, gets the
/// width pooled over every series. Left out: none (one series, or versions stored before 2026-12-06).</param>
/// <param name="SeriesMixWeights">In a model of several series, how many training series keep their own mixing weights (their
/// own errors moved toward <paramref name="Weights"/>), which a forecast or stream naming the series' id mixes with; left out: none.</param>
public sealed record StatisticsResponse(SmoothingResponse Smoothing, int ThetaSeason, IReadOnlyList<int> AutoregressionLags, IReadOnlyDictionary<string, float> Weights,
    float? NetworkScale, float? IntervalSpread, IReadOnlyList<string>? Covariates, CovariateLevelsResponse? CovariateLevels,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? SeriesIntervalScales = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? SeriesMixWeights = null)
{
    public static StatisticsResponse? From(StatisticsInfo? statistics) => statistics is null ? null : new(
        SmoothingResponse.From(statistics.Smoothing), statistics.ThetaSeason, statistics.AutoregressionLags, statistics.Weights, statistics.NetworkScale, statistics.IntervalSpread,
        statistics.Covariates, CovariateLevelsResponse.From(statistics.CovariateLevels), statistics.SeriesIntervalScales,
        statistics.SeriesMixWeights);
}

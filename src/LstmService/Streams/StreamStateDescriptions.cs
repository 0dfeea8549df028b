using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;
using LstmService.Infrastructure;

namespace LstmService.Streams;

/// <summary>
/// The OpenAPI descriptions of the forecasting library's types in a stream's exported state (GET /streams/{id}/state), whose
/// doc comments the generator does not read. An import refuses what a stream could not have written, so each says what the
/// exported number is rather than how to make one.
/// </summary>
internal static class StreamStateDescriptions
{
    public static IServiceCollection AddStreamStateDescriptions(this IServiceCollection services) => services
        .AddPropertyDescriptions<SeriesState>(new Dictionary<string, string>
        {
            ["length"] = "Values the series holds (its history and every appended value, missing ones included).",
            ["settled"] = "Values up to the last observed one; those after it are the trailing gap, filled at forecast time.",
            ["tail"] = "The last settled values, gap-filled and on the model's transformed scale (at least the input window's worth).",
            ["window"] = "The last values as given, on the model's transformed scale (null = missing): the input window before the longest trailing gap the version forecasts through.",
            ["scale"] = "The scaling's running sums over the settled values.",
            ["statistics"] = "The classical members' states; null for a version without them (statistics: false).",
            ["covariates"] = "One state per covariate, in the version's order; empty for a version without covariates.",
            ["held"] = "The last settled value, held back until the next one shows whether it was an isolated glitch; null when none waits (and in states exported before it existed).",
            ["lead"] = "Missing values before the history's first observed one, left out of the sums as training leaves them out (0 in states exported before it existed).",
        })
        .AddPropertyDescriptions<CovariateState>(new Dictionary<string, string>
        {
            ["name"] = "The covariate's name.",
            ["settled"] = "The covariate's values up to its last observed one.",
            ["tail"] = "The covariate's last settled values, gap-filled.",
            ["scale"] = "The covariate's z-score sums.",
        })
        .AddPropertyDescriptions<ScaleAccumulator>(new Dictionary<string, string>
        {
            ["mode"] = "The version's scaling, which says which of the sums below are kept.",
            ["count"] = "Values added.",
            ["previous"] = "The last value added.",
            ["sumAbsSteps"] = "Window-level scaling: the sum of the absolute steps between the values as read (an isolated glitch as the value expected).",
            ["sumAbsGivenSteps"] = "Window-level scaling: the sum of the absolute steps between the values as given; null in states exported before it was kept.",
            ["previousGiven"] = "The last value added as given; null in states exported before it was kept (then the same as previous).",
            ["flatGivenSteps"] = "Window-level scaling: the steps between values as given that were zero; null in states exported before it was kept.",
            ["magnitude"] = "The largest absolute value added: a ten-thousandth of it is the least the unit may be.",
            ["shift"] = "Z-score scaling: the first value, subtracted before summing.",
            ["sum"] = "Z-score scaling: the sum of the values less the shift.",
            ["sumSquares"] = "Z-score scaling: the sum of the squared values less the shift.",
            ["values"] = "Robust scaling only (median and IQR): every value added; null for the other scalings.",
        })
        .AddPropertyDescriptions<StatisticalState>(new Dictionary<string, string>
        {
            ["count"] = "Values added.",
            ["head"] = "The history's first values while the members' initial states may still change; null once they are fixed.",
            ["recent"] = "The last values, which the autoregression's lags and theta's moving average read.",
            ["first"] = "The autoregression's first value.",
            ["sum"] = "The autoregression's sum of the values.",
            ["level"] = "Exponential smoothing's level.",
            ["trend"] = "Exponential smoothing's trend (0 without one).",
            ["seasonal"] = "Exponential smoothing's seasonal indices, one per phase of the season (one for a version without a season).",
            ["theta"] = "The theta method's sums, kept per seasonal phase.",
            ["shifts"] = "The watch for a lasting change of level (started afresh when left out, as in states exported before it existed).",
        })
        .AddPropertyDescriptions<ThetaState>(new Dictionary<string, string>
        {
            ["weighted"] = "Per phase: the exponentially weighted sum of that phase's values, as of its last value.",
            ["weightedOnes"] = "Per phase: the same weighted sum of ones (what an additive seasonal index contributes).",
            ["sums"] = "Per phase: the sum of the values (for the regression slope).",
            ["timeSums"] = "Per phase: the sum of each value times its index.",
            ["times"] = "Per phase: the sum of the values' indices.",
            ["counts"] = "Per phase: the number of values.",
            ["timeTotal"] = "The sum of every value's index.",
            ["timeSquares"] = "The sum of every value's index squared.",
            ["decomposition"] = "Per phase: the sum of the ratios (or differences) of the values to their centred moving average, for the seasonal indices.",
            ["decompositionCounts"] = "Per phase: how many ratios (or differences) that sum holds.",
            ["initialSums"] = "Per phase: the sum of the first initialCount values (the smoothing's initial level).",
            ["initialCounts"] = "Per phase: how many of the first initialCount values fell in it.",
            ["initialCount"] = "Values the initial level reads (about 1/α, at most the history).",
        })
        .AddPropertyDescriptions<LevelShiftWatch>(new Dictionary<string, string>
        {
            ["errorSum"] = "The sum of the smoothing's one-step absolute errors (each at most 4 typical errors): with errorCount, the typical error.",
            ["errorCount"] = "Errors in errorSum.",
            ["up"] = "The cumulative sum of the errors above the forecasts, in typical errors, with its run.",
            ["down"] = "The cumulative sum of the errors below the forecasts, in typical errors, with its run.",
            ["upJumpAt"] = "The index of the last value 8 typical errors or more above its forecast while the watch was quiet (0: none).",
            ["downJumpAt"] = "The index of the last value 8 typical errors or more below its forecast while the watch was quiet (0: none).",
            ["changes"] = "The last changes of level read (at most 8, oldest first); empty when none was, and in states exported before it existed.",
        })
        .AddPropertyDescriptions<LevelShiftSide>(new Dictionary<string, string>
        {
            ["sum"] = "The cumulative sum, in typical errors less an allowance of 1 per value: 0 at rest, at most 10.",
            ["start"] = "The index of the run's first value.",
            ["errors"] = "The sum of the run's errors, in typical errors.",
            ["peak"] = "The run's largest error, in typical errors.",
            ["peakAt"] = "The index of the run's largest error.",
            ["held"] = "Values in a row for which the sum has been at the threshold (8) or above.",
            ["onset"] = "The index where the change in the run begins (0 in states exported before it existed).",
            ["onsetError"] = "The error at the onset, in typical errors.",
            ["before"] = "The sum of the run's errors before the onset, in typical errors.",
        })
        .AddPropertyDescriptions<LevelShiftChange>(new Dictionary<string, string>
        {
            ["start"] = "The index of the first value at the new level.",
            ["shift"] = "The shift the values before it are read by, on the model's transformed scale.",
        })
        .AddPropertyDescriptions<IssuedForecast>(new Dictionary<string, string>
        {
            ["origin"] = "Values the series held when the forecast was made: its element h forecasts the value at index origin + h.",
            ["mean"] = "The mean forecast, one value per step of the horizon.",
            ["bands"] = "The version's symmetric quantile pairs per step (lower then upper, per pair), for interval coverage; empty without such a pair.",
            ["lower"] = "The anomaly interval's lower end per step; null for a version without a symmetric quantile pair.",
            ["upper"] = "The anomaly interval's upper end per step; null for a version without a symmetric quantile pair.",
        })
        .AddSchemaDescription<SeriesState>("A stream's series as the version reads it: its last values, running sums and its members' states, enough to forecast and append without its history.")
        .AddSchemaDescription<CovariateState>("One covariate's part of a stream's state, by the covariate's name.")
        .AddSchemaDescription<ScaleAccumulator>("Running sums over a series' settled values, from which its scaling is read.")
        .AddSchemaDescription<StatisticalState>("The classical members' states (exponential smoothing, theta, the autoregression) and the watch for a change of level, after the series' last settled value.")
        .AddSchemaDescription<ThetaState>("The theta member's running sums, per phase of the season, after the series' last settled value.")
        .AddSchemaDescription<LevelShiftWatch>("The watch for a lasting change of level: cumulative sums of the smoothing's one-step errors above and below its forecasts, and the changes it has read.")
        .AddSchemaDescription<LevelShiftSide>("One side of the level-change watch (errors above, or below, the forecasts): its cumulative sum and the run that built it.")
        .AddSchemaDescription<LevelShiftChange>("A change of level the stream has read, by which the values before it are read.")
        .AddSchemaDescription<IssuedForecast>("A forecast the stream issued, kept to score the values that arrive against it.");
}

namespace LstmService.Forecasting.Evaluation;

/// <summary>Point and interval accuracy of the model and of the naive baselines over the validation part.</summary>
/// <param name="Note">Why nothing was scored, when nothing was (a series too short for its horizon, a validation part all missing); else null.</param>
public sealed record BacktestMetrics(
    AccuracyMetrics Model,
    AccuracyMetrics Naive,
    AccuracyMetrics SeasonalNaive,
    int SeasonLength,
    IReadOnlyDictionary<string, double> IntervalCoverage,
    string? Note = null);

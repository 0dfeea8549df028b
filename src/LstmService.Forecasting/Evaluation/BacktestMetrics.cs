namespace LstmService.Forecasting.Evaluation;

/// <summary>Point and interval accuracy of the model and of the naive baselines over the validation part.</summary>
public sealed record BacktestMetrics(
    AccuracyMetrics Model,
    AccuracyMetrics Naive,
    AccuracyMetrics SeasonalNaive,
    int SeasonLength,
    IReadOnlyDictionary<string, double> IntervalCoverage);

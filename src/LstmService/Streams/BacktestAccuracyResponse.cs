using LstmService.Registry;

namespace LstmService.Streams;

/// <summary>The version's backtest accuracy (the model's, not the naive baselines') and interval coverage.</summary>
public sealed record BacktestAccuracyResponse(double? Rmse, double? Mae, double? Mase, double? Smape, int Points, IReadOnlyDictionary<string, double?> IntervalCoverage)
{
    public static BacktestAccuracyResponse? From(BacktestSummary? b) =>
        b is null ? null : new(b.Model.Rmse, b.Model.Mae, b.Model.Mase, b.Model.Smape, b.Model.Points, b.IntervalCoverage);
}

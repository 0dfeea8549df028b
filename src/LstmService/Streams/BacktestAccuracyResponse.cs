using LstmService.Registry;

namespace LstmService.Streams;

/// <summary>The version's backtest accuracy (the model's, not the naive baselines') and interval coverage.</summary>
/// <param name="Rmse">Root mean squared error over the validation part; null when the backtest scored nothing.</param>
/// <param name="Mae">Mean absolute error; null when the backtest scored nothing.</param>
/// <param name="Mase">Mean absolute scaled error (MAE over the in-sample seasonal-naive MAE); null when the backtest scored nothing.</param>
/// <param name="Smape">Symmetric mean absolute percentage error, in percent (0 to 200); null when the backtest scored nothing.</param>
/// <param name="Points">Forecast points the backtest scored (0 when it scored nothing).</param>
/// <param name="IntervalCoverage">Per quantile interval ("0.1-0.9", ...), the share of validation points inside it (0 to 1); null where undefined.</param>
public sealed record BacktestAccuracyResponse(double? Rmse, double? Mae, double? Mase, double? Smape, int Points, IReadOnlyDictionary<string, double?> IntervalCoverage)
{
    public static BacktestAccuracyResponse? From(BacktestSummary? b) =>
        b is null ? null : new(b.Model.Rmse, b.Model.Mae, b.Model.Mase, b.Model.Smape, b.Model.Points, b.IntervalCoverage);
}

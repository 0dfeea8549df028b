namespace LstmService.Streams;

/// <summary>
/// Online accuracy over the most recent scored values (at most Streams:MonitoringWindow), with the backtest's definitions:
/// RMSE, MAE, MASE (each error over the series' in-sample naive error), sMAPE in percent, and the share of values inside
/// each quantile interval ("0.1-0.9"); overall and per horizon step. Null where no value was scored.
/// </summary>
public sealed record OnlineMetricsResponse(int Points, double? Rmse, double? Mae, double? Mase, double? Smape,
    IReadOnlyDictionary<string, double?> IntervalCoverage, IReadOnlyList<StepMetricsResponse> ByStep);

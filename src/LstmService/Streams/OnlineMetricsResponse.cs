namespace LstmService.Streams;

/// <summary>
/// Online accuracy over the most recent scored values (at most Streams:MonitoringWindow), with the backtest's definitions:
/// RMSE, MAE, MASE (each error over the series' in-sample naive error), sMAPE in percent, and the share of values inside
/// each quantile interval ("0.1-0.9"); overall and per horizon step. Null where no value was scored.
/// </summary>
/// <param name="Points">Scored values the metrics read (a value counts once per forecast that covered it); 0 before any was scored.</param>
/// <param name="Rmse">Root mean squared error; null when no value was scored.</param>
/// <param name="Mae">Mean absolute error; null when no value was scored.</param>
/// <param name="Mase">Mean of the absolute errors over the series' in-sample (seasonal) naive error, fixed when the stream opened; null when no value was scored.</param>
/// <param name="Smape">Symmetric mean absolute percentage error, in percent (0 to 200); null when no value was scored.</param>
/// <param name="IntervalCoverage">Per quantile interval of the version ("0.1-0.9", ...), the share of scored values inside it (0 to 1); null when no value was scored, empty for a version without a symmetric quantile pair.</param>
/// <param name="ByStep">The same metrics per horizon step, step 1 first, for the steps that have scored values; empty when none has.</param>
public sealed record OnlineMetricsResponse(int Points, double? Rmse, double? Mae, double? Mase, double? Smape,
    IReadOnlyDictionary<string, double?> IntervalCoverage, IReadOnlyList<StepMetricsResponse> ByStep);

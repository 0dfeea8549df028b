namespace LstmService.Forecasting.Streaming;

/// <summary>
/// One value scored against one forecast made for it <see cref="Step"/> steps ahead: the errors the backtest reports
/// (absolute, squared, scaled by the series' in-sample naive error as MASE is, the sMAPE term when defined) and, per
/// quantile pair, whether the value fell inside (bit k of <see cref="Hits"/> for pair k).
/// </summary>
public sealed record ObservationScore(int Index, int Step, float Actual, float Forecast, double AbsoluteError, double SquaredError,
    double ScaledError, double? Smape, int Hits);

namespace LstmService.Streams;

/// <summary>
/// A value scored against a forecast made <paramref name="Step"/> steps before it: the forecast, the absolute error and
/// the error scaled by the series' naive error (MASE's terms), and the quantile intervals ("0.1-0.9") it fell in.
/// </summary>
public sealed record ScoredValueResponse(int Index, int Step, float Value, float Forecast, double AbsoluteError, double ScaledError, IReadOnlyList<string> InIntervals);

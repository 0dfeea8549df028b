namespace LstmService.Streams;

/// <summary>
/// A value scored against a forecast made <paramref name="Step"/> steps before it: the forecast, the absolute error and
/// the error scaled by the series' naive error (MASE's terms), and the quantile intervals ("0.1-0.9") it fell in.
/// </summary>
/// <param name="Index">The value's position in the stream's series, from 0.</param>
/// <param name="Step">Steps ahead the forecast was made: 1 for the forecast made just before the value, up to the version's horizon.</param>
/// <param name="Value">The observed value.</param>
/// <param name="Forecast">That forecast's mean for the value.</param>
/// <param name="AbsoluteError">The absolute difference between the forecast and the value.</param>
/// <param name="ScaledError">The absolute error over the series' in-sample (seasonal) naive error, fixed when the stream opened: MASE's term.</param>
/// <param name="InIntervals">The version's quantile intervals ("0.1-0.9", ...) whose ends the value lies within; empty when none.</param>
public sealed record ScoredValueResponse(int Index, int Step, float Value, float Forecast, float AbsoluteError, double ScaledError, IReadOnlyList<string> InIntervals);

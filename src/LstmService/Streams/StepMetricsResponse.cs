namespace LstmService.Streams;

/// <summary>The same metrics for the values scored <paramref name="Step"/> steps after their forecast was made.</summary>
public sealed record StepMetricsResponse(int Step, int Points, double? Rmse, double? Mae, double? Mase, IReadOnlyDictionary<string, double?> IntervalCoverage);

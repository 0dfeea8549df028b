namespace LstmService.Streams;

/// <summary>The same metrics for the values scored <paramref name="Step"/> steps after their forecast was made.</summary>
/// <param name="Step">Steps ahead: 1 for the values forecast just before they came, up to the version's horizon.</param>
/// <param name="Points">Values scored at this step.</param>
/// <param name="Rmse">Root mean squared error at this step.</param>
/// <param name="Mae">Mean absolute error at this step.</param>
/// <param name="Mase">Mean of the absolute errors over the series' in-sample (seasonal) naive error, at this step.</param>
/// <param name="IntervalCoverage">Per quantile interval ("0.1-0.9", ...), the share of this step's values inside it (0 to 1).</param>
public sealed record StepMetricsResponse(int Step, int Points, double? Rmse, double? Mae, double? Mase, IReadOnlyDictionary<string, double?> IntervalCoverage);

namespace LstmService.Forecasting.Statistics;

/// <summary>The states after filtering a history of <see cref="Length"/> values (seasonal states indexed by time mod season).</summary>
public readonly record struct FilterState(double Level, double Trend, double[] Seasonal, int Length);

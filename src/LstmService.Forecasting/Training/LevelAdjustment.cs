using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// What the trainer knows of a series it trains less its known covariates' effect (<see cref="CovariateLevels"/>): the
/// regression, the series itself (the backtest scores forecasts of it, not of what the rest of the model reads, and its
/// naive baselines are the series') and whether the forecasts of it are clamped at zero, by request (<paramref name="Declared"/>)
/// or by the data.
/// </summary>
internal sealed record LevelAdjustment(CovariateLevels Levels, float[] Series, bool NonNegative, bool Declared = false);

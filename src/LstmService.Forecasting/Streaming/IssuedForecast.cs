namespace LstmService.Forecasting.Streaming;

/// <summary>
/// A forecast a stream answered, kept until every value it forecast has arrived: made after <see cref="Origin"/> values,
/// its element h forecasts value Origin + h. <see cref="Bands"/> holds the model's symmetric quantile pairs (lower then
/// upper per pair, as <see cref="Evaluation.Backtest.IntervalPairs"/> lists them) for interval coverage, and
/// <see cref="Lower"/>/<see cref="Upper"/> the anomaly interval (null for a model without quantile pairs).
/// </summary>
public sealed record IssuedForecast(int Origin, float[] Mean, float[][] Bands, float[]? Lower, float[]? Upper);

using LstmService.Forecasting.Streaming;

namespace LstmService.Streams;

/// <summary>
/// What the registry stores of a stream besides its key columns (one JSON column): the series' state, the forecasts still
/// waiting for values to score, the series' naive error (the MASE denominator, fixed when the stream opened, as the backtest
/// fixes it on the training part), the latest forecast and the known future covariates it was made with, and the last
/// window of values as given (the state holds them on the model's scale), the alias the stream was opened through (null
/// for a version number), the recent values as given (Streams:RecentValues of them: what a challenger retrains on) and the
/// stream's dates when it was opened with them (null for streams without, and those stored before streams had dates).
/// </summary>
public sealed record StreamDocument(
    SeriesState State,
    List<IssuedForecast> Issued,
    double NaiveScale,
    StoredForecast Forecast,
    Dictionary<string, float[]>? FutureCovariates,
    List<float?> LastValues,
    string? Alias = null,
    List<float?>? Recent = null,
    StreamTiming? Timing = null);

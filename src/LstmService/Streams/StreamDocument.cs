using LstmService.Forecasting.Streaming;

namespace LstmService.Streams;

/// <summary>
/// What the registry stores of a stream besides its key columns (one JSON column): the series' state, the forecasts still
/// waiting for values to score, the series' naive error (the MASE denominator, fixed when the stream opened, as the backtest
/// fixes it on the training part), the latest forecast and the known future covariates it was made with, and the last
/// window of values as given (the state holds them on the model's scale).
/// </summary>
public sealed record StreamDocument(
    SeriesState State,
    List<IssuedForecast> Issued,
    double NaiveScale,
    StoredForecast Forecast,
    Dictionary<string, float[]>? FutureCovariates,
    List<float?> LastValues);

/// <summary>A forecast as stored: the mean and quantiles (keyed as the forecast endpoint keys them) and the anomaly interval.</summary>
public sealed record StoredForecast(float[] Mean, Dictionary<string, float[]> Quantiles, float[]? AnomalyLower, float[]? AnomalyUpper);

/// <summary>A stream's row.</summary>
public sealed record StreamRecord(string Id, string Model, int Version, string SeriesId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    long Revision, int Length, StreamDocument Document);

/// <summary>A scored value as stored (one per forecast that covered it).</summary>
public sealed record ScoreRecord(int Index, int Step, double AbsoluteError, double SquaredError, double ScaledError, double? Smape, int Hits);

/// <summary>An anomaly as stored.</summary>
public sealed record AnomalyRecord(string StreamId, DateTimeOffset FlaggedAt, int Index, int Step, double Value, double Lower, double Upper);

namespace LstmService.Streams;

/// <summary>
/// A stream: its series, the version it forecasts with (an alias is resolved when the stream opens), how many values it
/// holds, the last window of values it keeps (as given, null = missing), its current forecast, its rolling online accuracy
/// and its latest anomalies (newest first).
/// </summary>
public sealed record StreamResponse(
    string Id,
    string Model,
    int Version,
    string SeriesId,
    int Length,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<float?> LastWindow,
    StreamForecastResponse Forecast,
    OnlineMetricsResponse Monitoring,
    IReadOnlyList<AnomalyResponse> Anomalies);

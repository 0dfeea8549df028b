namespace LstmService.Streams;

/// <summary>
/// A stream: its series, the version it forecasts with (an alias is resolved when the stream opens), how many values it
/// holds, the last window of values it keeps (as given, null = missing), its current forecast, its rolling online accuracy
/// and its latest anomalies (newest first).
/// </summary>
/// <param name="Id">The stream's id (32 lowercase hexadecimal digits): the {id} of /streams/{id}.</param>
/// <param name="Model">The model's name.</param>
/// <param name="Version">The version the stream forecasts with.</param>
/// <param name="SeriesId">The series' id the stream was opened with (its forecasts read that training series' own weights or widths, when the version keeps them).</param>
/// <param name="Length">Values the stream holds (its history and every appended value, missing ones included).</param>
/// <param name="CreatedAt">When the stream was opened (UTC).</param>
/// <param name="UpdatedAt">When the stream was last appended to (UTC; its opening until then).</param>
/// <param name="LastWindow">The last values as given (null = missing): at most the version's inputWindow of them.</param>
/// <param name="Forecast">The stream's current forecast: the one after its last value.</param>
/// <param name="Monitoring">Online accuracy over the stream's latest scored values (at most Streams:MonitoringWindow).</param>
/// <param name="Anomalies">The stream's latest anomalies, newest first (at most Streams:ListedAnomalies); empty when none was flagged.</param>
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

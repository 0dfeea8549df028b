using LstmService.Forecasting.Streaming;

namespace LstmService.Streams;

/// <summary>
/// A stream's state as GET /streams/{id}/state exports it and POST /models/{name}/streams takes it back: the model and version
/// it belongs to, the series' state (its last values, the scaling sums, the classical members' filter states, the
/// covariates'), the forecasts still to be scored, the naive error scaling them, the alias the stream was opened through and
/// its recent values as given (what a challenger retrains on), and the network's per-layer h and c after reading the last
/// window. The network's states are derived (the network reads the fixed window afresh for each forecast), shown for
/// inspection and ignored on import.
/// </summary>
public sealed record StreamStateExport
{
    /// <summary>The model's name; on import, must be the route's model when given.</summary>
    public string? Model { get; init; }
    /// <summary>The version the state belongs to; required on import, where it must be the version the stream opens on.</summary>
    public int? Version { get; init; }
    /// <summary>The stream's series id; on import, the new stream's when the request gives none (a seriesId beside it must repeat it).</summary>
    public string? SeriesId { get; init; }
    /// <summary>The series' state: its last values on the model's scale, the scaling sums, the classical members' filter states, the covariates' (required on import).</summary>
    public SeriesState? Series { get; init; }
    /// <summary>The forecasts still waiting for values to score, one per origin among the last horizon (empty when left out on import).</summary>
    public List<IssuedForecast>? Issued { get; init; }
    /// <summary>The series' in-sample (seasonal) naive error, fixed when the stream opened: the MASE denominator of its scores (required on import, positive).</summary>
    public double? NaiveScale { get; init; }
    /// <summary>The values over the horizon of the covariates known in advance that the current forecast read; null for a version without them.</summary>
    public Dictionary<string, float[]>? FutureCovariates { get; init; }
    /// <summary>The network's per-layer states after reading the last window (derived, ignored on import); null when the version's weights cannot be read now: the state does not need them.</summary>
    public NetworkStateExport? Network { get; init; }
    /// <summary>The alias the stream was opened through (null: a version number): a challenger that beats the version moves it.</summary>
    public string? Alias { get; init; }
    /// <summary>The stream's latest values as given (Streams:RecentValues of them, null = missing): what a challenger trains on.</summary>
    public List<float?>? Recent { get; init; }
    /// <summary>The stream's dates (its step, one value's time and the month day), when it has them; an import keeps them.</summary>
    public StreamTiming? Timing { get; init; }
}

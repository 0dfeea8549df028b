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
    public string? Model { get; init; }
    public int? Version { get; init; }
    public string? SeriesId { get; init; }
    public SeriesState? Series { get; init; }
    public List<IssuedForecast>? Issued { get; init; }
    public double? NaiveScale { get; init; }
    public Dictionary<string, float[]>? FutureCovariates { get; init; }
    /// <summary>Null when the version's weights cannot be read now: the state does not need them.</summary>
    public NetworkStateExport? Network { get; init; }
    /// <summary>The alias the stream was opened through (null: a version number): a challenger that beats the version moves it.</summary>
    public string? Alias { get; init; }
    /// <summary>The stream's latest values as given (Streams:RecentValues of them, null = missing): what a challenger trains on.</summary>
    public List<float?>? Recent { get; init; }
    /// <summary>The stream's dates (its step, one value's time and the month day), when it has them; an import keeps them.</summary>
    public StreamTiming? Timing { get; init; }
}

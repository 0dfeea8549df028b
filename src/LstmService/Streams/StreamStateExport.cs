using LstmService.Forecasting.Streaming;

namespace LstmService.Streams;

/// <summary>
/// A stream's state as GET /streams/{id}/state exports it and POST /models/{name}/streams takes it back: the model and version
/// it belongs to, the series' state (its last values, the scaling sums, the classical members' filter states, the
/// covariates'), the forecasts still to be scored, the naive error scaling them, and the network's per-layer h and c after
/// reading the last window. The network's states are derived (the network reads the fixed window afresh for each forecast),
/// shown for inspection and ignored on import.
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
    public NetworkStateExport? Network { get; init; }
    /// <summary>The stream's dates (its step, one value's time and the month day), when it has them; an import keeps them.</summary>
    public StreamTiming? Timing { get; init; }
}

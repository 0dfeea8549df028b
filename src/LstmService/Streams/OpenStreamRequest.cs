using System.Text.Json.Serialization;

namespace LstmService.Streams;

/// <summary>
/// Opens a stream: a series' id and its history (null = missing; at least the version's inputWindow values, two periods from the first observed value where the theta method alone repeats its season), its covariates'
/// history (as long as history) and the next values of those known in advance, as a forecast takes them. Or, instead of
/// history and covariates, a <c>state</c> that GET /streams/{id}/state exported: the stream goes on from there.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OpenStreamRequest
{
    /// <summary>The series' id (yours: 1 to 200 characters), shown with the stream. Required, unless the exported state brings its own.</summary>
    public string? SeriesId { get; init; }
    /// <summary>The series' values, oldest first (null = missing): at least the version's inputWindow values, at most Forecast:MaxHistoryLength. Required, unless <c>state</c> is given.</summary>
    public IReadOnlyList<double?>? History { get; init; }
    /// <summary>Per covariate the version reads (by name), its values at the same steps as <c>history</c> (as many, null = missing); required for a version with covariates, left out otherwise and with <c>state</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    /// <summary>Per covariate known in advance (the version's futureCovariates), its values over the horizon after the history's last step (exactly horizon of them); required for such a version (with <c>state</c>, the exported ones when left out), left out otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
    /// <summary>
    /// The time of the first history value (ISO 8601, or 2020-01 for a month), with the version's frequency or
    /// <c>frequency</c>: the forecasts then carry timestamps. Without it, a seriesId named like one of the version's
    /// training series is dated after that series, as a forecast's history is.
    /// </summary>
    public string? Start { get; init; }
    /// <summary>How often the series is sampled, for a version that knows no frequency (monthly, PT1H, ...); else it must be the version's.</summary>
    public string? Frequency { get; init; }
    /// <summary>An exported state to open the stream from (then history and covariates stay out).</summary>
    public StreamStateExport? State { get; init; }
}

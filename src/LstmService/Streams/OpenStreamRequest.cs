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
    public IReadOnlyList<double?>? History { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
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

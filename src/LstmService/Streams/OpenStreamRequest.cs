using System.Text.Json.Serialization;

namespace LstmService.Streams;

/// <summary>
/// Opens a stream: a series' id and its history (null = missing; at least the version's inputWindow values), its covariates'
/// history (as long as history) and the next values of those known in advance, as a forecast takes them. Or, instead of
/// history and covariates, a <see cref="State"/> that GET /streams/{id}/state exported: the stream goes on from there.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OpenStreamRequest
{
    /// <summary>The series' id (yours: 1 to 200 characters), shown with the stream. Required, unless the exported state brings its own.</summary>
    public string? SeriesId { get; init; }
    public IReadOnlyList<double?>? History { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
    /// <summary>An exported state to open the stream from (then history and covariates stay out).</summary>
    public StreamStateExport? State { get; init; }
}

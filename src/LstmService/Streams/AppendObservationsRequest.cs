using System.Text.Json.Serialization;

namespace LstmService.Streams;

/// <summary>
/// New values of a stream's series, oldest first (null = missing), each covariate's values at the same steps, and for
/// covariates known in advance their next values after the last one (the forecast's horizon). On a dated stream,
/// <c>timestamps</c> may give each value's time: a step they skip is a missing value.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AppendObservationsRequest
{
    public IReadOnlyList<double?>? Values { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
    /// <summary>The time of each value (and covariate value), as many as values, on the stream's steps after its last value; a step they skip is a missing value. Only on a dated stream.</summary>
    public IReadOnlyList<string>? Timestamps { get; init; }
}

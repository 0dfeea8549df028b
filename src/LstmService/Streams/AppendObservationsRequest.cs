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
    /// <summary>The new values, oldest first (null = missing): at least one, at most Streams:MaxValuesPerAppend. Required.</summary>
    [System.ComponentModel.DataAnnotations.Required] // for the OpenAPI document's required list: the handler names a missing one
    public IReadOnlyList<double?>? Values { get; init; }
    /// <summary>Per covariate the version reads (by name), its values at the same steps as <c>values</c> (as many, null = missing); required for a version with covariates, left out otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    /// <summary>Per covariate known in advance (the version's futureCovariates), its values over the horizon after the last appended step (exactly horizon of them); required for such a version, left out otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
    /// <summary>The time of each value (and covariate value), as many as values, on the stream's steps after its last value; a step they skip is a missing value. Only on a dated stream.</summary>
    public IReadOnlyList<string>? Timestamps { get; init; }
}

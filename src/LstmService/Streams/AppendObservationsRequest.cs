using System.Text.Json.Serialization;

namespace LstmService.Streams;

/// <summary>
/// New values of a stream's series, oldest first (null = missing), each covariate's values at the same steps, and for
/// covariates known in advance their next values after the last one (the forecast's horizon).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AppendObservationsRequest
{
    public IReadOnlyList<double?>? Values { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? FutureCovariates { get; init; }
}

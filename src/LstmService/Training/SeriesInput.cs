using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Training;

/// <summary>One training series.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeriesInput
{
    /// <summary>Optional name of the series.</summary>
    public string? Id { get; init; }
    /// <summary>Observations in time order; null marks a missing value.</summary>
    [Required]
    public IReadOnlyList<double?>? Values { get; init; }
    /// <summary>Optional extra input features: name → values aligned with values (same length; null marks a missing value), for example { "temperature": [...] }. Every series needs the same names; a forecast then supplies their history.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
}

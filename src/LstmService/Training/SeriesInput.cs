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
    /// <summary>Optional time of the first value (ISO 8601 such as 2020-01-31 or 2020-01-31T13:00:00Z, or 2020, 2020-01, 2020-Q1); needs the request's frequency.</summary>
    public string? Start { get; init; }
    /// <summary>Optional time of every value, one per value (ISO 8601, or 2020, 2020-01, 2020-Q1), in any order: the values are put in time order, the step is inferred unless frequency is given, and a missing time becomes a missing value. Instead of start.</summary>
    public IReadOnlyList<string>? Timestamps { get; init; }
    /// <summary>The sequence's class; required with task classification, not allowed otherwise. Sequences may then differ in length.</summary>
    public string? Label { get; init; }
}

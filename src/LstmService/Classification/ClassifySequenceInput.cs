using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace LstmService.Classification;

/// <summary>One sequence to classify.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ClassifySequenceInput
{
    /// <summary>Optional name, echoed in the answer (default: the sequence's index).</summary>
    public string? Id { get; init; }
    /// <summary>The values in time order, at least one (any length: sequences need not be as long as the training ones); null marks a missing value.</summary>
    [Required]
    public IReadOnlyList<double?>? Values { get; init; }
    /// <summary>For a model trained with covariates (the version's architecture.covariates): name → values aligned with values (same length; null marks a missing value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double?>>? Covariates { get; init; }
}

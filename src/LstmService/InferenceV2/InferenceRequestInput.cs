using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>One input tensor (<c>$request_input</c>): row-major data, flat or nested, of the declared shape.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InferenceRequestInput
{
    /// <summary>The input's name: history, lengths, covariates.NAME or future_covariates.NAME (the version's metadata lists them).</summary>
    [Required]
    [JsonPropertyName("name")]
    public string? Name { get; init; }
    /// <summary>The tensor's shape, e.g. [batch, length] for history.</summary>
    [Required]
    [JsonPropertyName("shape")]
    public IReadOnlyList<long>? Shape { get; init; }
    /// <summary>FP32 (FP64 is accepted and rounded) for values, an integer type for lengths.</summary>
    [Required]
    [JsonPropertyName("datatype")]
    public string? Datatype { get; init; }
    /// <summary>Per-input parameters; this server reads none, and ignores them.</summary>
    [JsonPropertyName("parameters")]
    public Dictionary<string, JsonElement>? Parameters { get; init; }
    /// <summary>The elements in row-major order, as one flat array or nested per dimension; null marks a missing value (this server's reading: JSON has no NaN).</summary>
    [Required]
    [JsonPropertyName("data")]
    public JsonElement Data { get; init; }
}

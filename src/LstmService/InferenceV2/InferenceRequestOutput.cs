using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>An output asked for by name (<c>$request_output</c>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InferenceRequestOutput
{
    /// <summary>The output's name: mean, or quantile_LEVEL for one of the version's quantile levels (quantile_0.9).</summary>
    [Required]
    [JsonPropertyName("name")]
    public string? Name { get; init; }
    /// <summary>Per-output parameters; <c>binary_data: true</c> (the binary tensor extension) is refused, others are ignored.</summary>
    [JsonPropertyName("parameters")]
    public Dictionary<string, JsonElement>? Parameters { get; init; }
}

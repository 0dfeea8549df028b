using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The Open Inference Protocol's <c>$inference_request</c>: POST /v2/models/{name}[/versions/{version}]/infer.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record InferenceRequest
{
    /// <summary>Optional request id, echoed in the response.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }
    /// <summary>Server-specific parameters; this server reads <c>horizon</c> (steps to forecast, 1..the version's horizon) and ignores others.</summary>
    [JsonPropertyName("parameters")]
    public Dictionary<string, JsonElement>? Parameters { get; init; }
    /// <summary>Input tensors: <c>history</c> (FP32 [batch, length], required), <c>lengths</c> (INT32 [batch], optional), <c>covariates.NAME</c> and <c>future_covariates.NAME</c> (FP32 [batch, n]) for a model with covariates.</summary>
    [Required]
    [JsonPropertyName("inputs")]
    public IReadOnlyList<InferenceRequestInput>? Inputs { get; init; }
    /// <summary>Outputs to return, by name (default, and for an empty list: all): <c>mean</c> and one <c>quantile_LEVEL</c> per quantile level (quantile_0.9).</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<InferenceRequestOutput>? Outputs { get; init; }
}

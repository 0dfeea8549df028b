using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The Open Inference Protocol's <c>$inference_response</c>.</summary>
/// <param name="ModelName">The model that answered.</param>
/// <param name="ModelVersion">The version that answered (a number, also when an alias was asked for).</param>
/// <param name="Id">The request's id; left out when the request gave none.</param>
/// <param name="Outputs">The output tensors, in the order asked for (default: mean, then the quantiles ascending).</param>
public sealed record InferenceResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("outputs")] IReadOnlyList<InferenceResponseOutput> Outputs);

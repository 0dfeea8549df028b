using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's error object (<c>$inference_error_response</c> and the metadata errors): one descriptive message.</summary>
public sealed record InferenceErrorResponse([property: JsonPropertyName("error")] string Error);

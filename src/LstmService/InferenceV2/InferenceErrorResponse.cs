using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's error object (<c>$inference_error_response</c> and the metadata errors): one descriptive message.</summary>
/// <param name="Error">What went wrong: an unknown model or version, or every bad tensor, each named.</param>
public sealed record InferenceErrorResponse([property: JsonPropertyName("error")] string Error);

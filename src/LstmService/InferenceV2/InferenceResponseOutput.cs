using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>One output tensor (<c>$response_output</c>): FP32, shape [batch, steps], data flat in row-major order.</summary>
public sealed record InferenceResponseOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] float[] Data);

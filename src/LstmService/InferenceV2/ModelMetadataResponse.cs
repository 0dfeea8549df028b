using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$metadata_model_response</c>.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Versions">Every version that can be asked for by number (aliases are accepted in its place too).</param>
/// <param name="Platform">Always lstmservice_lstm: this service's networks in its own binary format.</param>
/// <param name="Inputs">The tensors the described version reads.</param>
/// <param name="Outputs">The tensors it answers; their second dimension is the version's horizon (fewer with parameters.horizon).</param>
public sealed record ModelMetadataResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions,
    [property: JsonPropertyName("platform")] string Platform,
    [property: JsonPropertyName("inputs")] IReadOnlyList<MetadataTensor> Inputs,
    [property: JsonPropertyName("outputs")] IReadOnlyList<MetadataTensor> Outputs);

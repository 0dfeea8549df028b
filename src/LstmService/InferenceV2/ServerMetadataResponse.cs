using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$metadata_server_response</c>.</summary>
/// <param name="Name">Always lstmservice.</param>
/// <param name="Version">The service's build version (1.0.0 unless the build sets another).</param>
/// <param name="Extensions">The protocol extensions served: none.</param>
public sealed record ServerMetadataResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("extensions")] IReadOnlyList<string> Extensions);

using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>The protocol's <c>$ready_model_response</c>: ready once the version's weights load.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Ready">True once the version's weights load; false when they are missing or altered.</param>
public sealed record ModelReadyResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ready")] bool Ready);

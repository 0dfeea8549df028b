using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>A tensor's name, datatype and shape in model metadata (<c>$metadata_tensor</c>); -1 marks a variable dimension.</summary>
public sealed record MetadataTensor(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape);

using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>A tensor's name, datatype and shape in model metadata (<c>$metadata_tensor</c>); -1 marks a variable dimension.</summary>
/// <param name="Name">The tensor's name, as an inference request or response names it (history, lengths, mean, quantile_0.9, ...).</param>
/// <param name="Datatype">FP32 for values, INT32 for lengths.</param>
/// <param name="Shape">Its dimensions, -1 where any size is taken (the batch, a history's length).</param>
public sealed record MetadataTensor(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape);

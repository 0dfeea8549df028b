using System.Text.Json.Serialization;

namespace LstmService.InferenceV2;

/// <summary>One output tensor (<c>$response_output</c>): FP32, shape [batch, steps], data flat in row-major order.</summary>
/// <param name="Name">The output's name: mean, or quantile_LEVEL (quantile_0.1, ...).</param>
/// <param name="Shape">[batch, steps]: one row per input series, one column per forecast step.</param>
/// <param name="Datatype">Always FP32.</param>
/// <param name="Data">The forecasts, flat in row-major order (each series' steps in turn).</param>
public sealed record InferenceResponseOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] IReadOnlyList<long> Shape,
    [property: JsonPropertyName("datatype")] string Datatype,
    [property: JsonPropertyName("data")] float[] Data);

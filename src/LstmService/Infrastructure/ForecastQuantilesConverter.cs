using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// A forecast's quantiles (level → values per step) written as the built-in converter writes the dictionary, each array
/// by <see cref="ForecastValuesConverter"/>.
/// </summary>
public sealed class ForecastQuantilesConverter : JsonConverter<Dictionary<string, float[]>>, ISchemaDescribedConverter
{
    /// <summary>What it writes: an object of arrays of floats.</summary>
    public void Describe(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.AdditionalProperties = ForecastValuesConverter.Values;
    }

    public override Dictionary<string, float[]> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("The JSON value could not be converted to an object of quantiles.");
        var quantiles = new Dictionary<string, float[]>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var level = reader.GetString()!;
            reader.Read();
            quantiles[level] = ForecastValuesConverter.ReadValues(ref reader);
        }
        return quantiles;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, float[]> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (level, values) in value)
        {
            writer.WritePropertyName(level);
            ForecastValuesConverter.WriteValues(writer, values);
        }
        writer.WriteEndObject();
    }
}

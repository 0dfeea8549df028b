using System.Text.Json;
using System.Text.Json.Serialization;

namespace LstmService.Forecasting.Streaming;

/// <summary>
/// A list of floats whose missing values (NaN) are written as JSON null, as every request marks a missing value, so an
/// exported state can be read, edited and imported with the same rule. The string "NaN", which states exported or stored
/// by earlier releases hold, is read as missing too. Numbers round-trip exactly (shortest form).
/// </summary>
public sealed class MissingAsNullFloatListConverter : JsonConverter<List<float>>
{
    public override List<float> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected an array of numbers (null for a missing value).");
        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType switch
            {
                JsonTokenType.Null => float.NaN,
                JsonTokenType.Number when reader.TryGetSingle(out var x) && float.IsFinite(x) => x,
                JsonTokenType.String when reader.ValueTextEquals("NaN") => float.NaN,
                _ => throw new JsonException("Expected a finite number, or null for a missing value."),
            });
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, List<float> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var x in value)
        {
            if (float.IsNaN(x)) writer.WriteNullValue();
            else writer.WriteNumberValue(x);
        }
        writer.WriteEndArray();
    }
}

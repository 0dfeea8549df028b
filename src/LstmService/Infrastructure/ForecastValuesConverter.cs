using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// Writes a forecast's float array as the built-in converter does, byte for byte, but formats the numbers with
/// <see cref="ShortestFloat"/> and hands the whole array to the writer at once. An array holding NaN or an infinity goes
/// through the writer value by value, which refuses them as before. Reads a plain array of numbers.
/// </summary>
public sealed class ForecastValuesConverter : JsonConverter<float[]>, ISchemaDescribedConverter
{
    /// <summary>A buffer grown past this (a horizon of thousands of steps) is not kept for the thread.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic] private static byte[]? _buffer;

    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValues(ref reader);

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) => WriteValues(writer, value);

    /// <summary>What it writes: an array of floats.</summary>
    public void Describe(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Array;
        schema.Items = Values.Items;
    }

    /// <summary>The schema of one array of values (<see cref="ForecastQuantilesConverter"/> describes an object of them).</summary>
    internal static OpenApiSchema Values => new() { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float" } };

    internal static float[] ReadValues(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("The JSON value could not be converted to an array of numbers.");
        var values = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number) throw new JsonException("The JSON value could not be converted to a number.");
            values.Add(reader.GetSingle());
        }
        return [.. values];
    }

    internal static void WriteValues(Utf8JsonWriter writer, float[] value)
    {
        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(value))
        {
            writer.WriteStartArray();
            foreach (var v in value) writer.WriteNumberValue(v);
            writer.WriteEndArray();
            return;
        }
        int length = 2 + value.Length * (ShortestFloat.MaxLength + 1);
        // One buffer per thread, reused: the writer copies the bytes (a stack buffer would be zeroed on every call).
        var json = _buffer is { } buffer && buffer.Length >= length ? buffer : _buffer = new byte[Math.Max(length, 4096)];
        int pos = 0;
        json[pos++] = (byte)'[';
        for (int i = 0; i < value.Length; i++)
        {
            if (i > 0) json[pos++] = (byte)',';
            if (!ShortestFloat.TryFormat(value[i], json.AsSpan(pos), out int written))
                value[i].TryFormat(json.AsSpan(pos), out written, default, CultureInfo.InvariantCulture); // exponent form, as .NET writes it
            pos += written;
        }
        json[pos++] = (byte)']';
        writer.WriteRawValue(json.AsSpan(0, pos), skipInputValidation: true);
        if (json.Length > MaxKeptBuffer) _buffer = null;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// Writes a forecast's float array as the built-in converter does, byte for byte, but formats the numbers with
/// <see cref="ShortestFloat"/> and hands the whole array to the writer at once. An array holding NaN or an infinity goes
/// through the writer value by value, which refuses them as before. Reads a plain array of numbers.
/// </summary>
public sealed class ForecastValuesConverter : JsonConverter<float[]>
{
    private const int StackValues = 128;

    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValues(ref reader);

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) => WriteValues(writer, value);

    /// <summary>
    /// Documents the properties these converters write as what they write (the OpenAPI generator knows nothing of a custom
    /// converter and would leave their schemas empty): an array of floats, or an object of such arrays.
    /// </summary>
    public static void Document(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        var values = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float" } };
        switch (context.JsonPropertyInfo?.CustomConverter)
        {
            case ForecastValuesConverter:
                (schema.Type, schema.Items) = (values.Type, values.Items);
                break;
            case ForecastQuantilesConverter:
                (schema.Type, schema.AdditionalProperties) = (JsonSchemaType.Object, values);
                break;
        }
        return Task.CompletedTask;
    });

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
        byte[]? rented = value.Length > StackValues ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> json = rented ?? stackalloc byte[2 + StackValues * (ShortestFloat.MaxLength + 1)];
        try
        {
            int pos = 0;
            json[pos++] = (byte)'[';
            for (int i = 0; i < value.Length; i++)
            {
                if (i > 0) json[pos++] = (byte)',';
                if (!ShortestFloat.TryFormat(value[i], json[pos..], out int written))
                    value[i].TryFormat(json[pos..], out written, default, CultureInfo.InvariantCulture); // exponent form, as .NET writes it
                pos += written;
            }
            json[pos++] = (byte)']';
            writer.WriteRawValue(json[..pos], skipInputValidation: true);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

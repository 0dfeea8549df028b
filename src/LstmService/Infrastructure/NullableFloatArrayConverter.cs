using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// Reads a JSON array of numbers, where null marks a missing value, straight into a float32 array: null becomes NaN,
/// a number beyond the float range becomes <see cref="BeyondFloat"/> (+Infinity) and one beyond even the double range
/// (1e400, which the built-in converter reads as an infinite double) <see cref="BeyondDouble"/> (-Infinity), for the
/// endpoint to name; every other number is read as the double the built-in converter reads and narrowed to float, so
/// the values are those of <c>(float)double</c>. The values go into a pooled buffer and
/// the result is allocated once at its exact length: no <c>List&lt;double?&gt;</c> and no boxing per value.
/// A non-number element (text, a boolean, an array, an object) throws <see cref="JsonArrayElementException"/>, which
/// names its index, so the 400 answer names the element (e.g. <c>series[3].history[7]</c>).
/// Writes NaN as null.
/// </summary>
public sealed class NullableFloatArrayConverter : JsonConverter<float[]>, ISchemaDescribedConverter
{
    private const int FirstBuffer = 256;

    /// <summary>Marks a finite number beyond ±<see cref="float.MaxValue"/>.</summary>
    public const float BeyondFloat = float.PositiveInfinity;

    /// <summary>Marks a number the double type reads as infinite (e.g. 1e400).</summary>
    public const float BeyondDouble = float.NegativeInfinity;

    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("The JSON value could not be converted to an array of numbers.");
        var pool = ArrayPool<float>.Shared;
        var buffer = pool.Rent(FirstBuffer);
        var n = 0;
        try
        {
            while (reader.Read())
            {
                float value;
                switch (reader.TokenType)
                {
                    case JsonTokenType.EndArray:
                        return n == 0 ? [] : buffer.AsSpan(0, n).ToArray();
                    case JsonTokenType.Number:
                        if (!reader.TryGetDouble(out var x)) throw new JsonArrayElementException(n);
                        value = !double.IsFinite(x) ? BeyondDouble : Math.Abs(x) > float.MaxValue ? BeyondFloat : (float)x;
                        break;
                    case JsonTokenType.Null:
                        value = float.NaN;
                        break;
                    default:
                        throw new JsonArrayElementException(n, reader.TokenType == JsonTokenType.String);
                }
                if (n == buffer.Length)
                {
                    var larger = pool.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, n).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
                buffer[n++] = value;
            }
            throw new JsonException("The JSON array ends early."); // the serializer hands a converter the whole value, so this is not reached
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>What it reads: an array of numbers or nulls.</summary>
    public void Describe(OpenApiSchema schema) => DescribeNullableNumbers(schema);

    /// <summary>An array of numbers or nulls, as this and <see cref="NullableDoubleListConverter"/> read it.</summary>
    public static void DescribeNullableNumbers(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Null | JsonSchemaType.Array;
        schema.Items = new OpenApiSchema { Type = JsonSchemaType.Null | JsonSchemaType.Number, Format = "double" };
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value)
        {
            if (float.IsNaN(v)) writer.WriteNullValue();
            else writer.WriteNumberValue(v);
        }
        writer.WriteEndArray();
    }
}

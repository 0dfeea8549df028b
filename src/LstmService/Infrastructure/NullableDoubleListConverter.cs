using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// Reads every JSON array of numbers and nulls bound as <c>IReadOnlyList&lt;double?&gt;</c> (training values, covariates,
/// stream values, classified sequences) into a <see cref="NullableDoubleList"/>, in chunks: no array of the whole length
/// is allocated or copied. The built-in converter's <c>List&lt;double?&gt;</c> took about 16 times a 64 MiB body of numbers in memory
/// (1.16 GB). The numbers are the doubles the built-in converter reads (1e400 as infinity, for the endpoint to name); an
/// element that is neither a number nor null throws <see cref="JsonArrayElementException"/>, naming its index.
/// </summary>
public sealed class NullableDoubleListConverter : JsonConverter<IReadOnlyList<double?>>, ISchemaDescribedConverter
{
    private const int FirstChunk = 16;

    public override IReadOnlyList<double?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("The JSON value could not be converted to an array of numbers.");
        // The first chunk grows by doubling up to a full chunk (a short list costs its own length); then whole chunks follow.
        var chunks = new List<double[]>();
        var chunk = new double[FirstChunk];
        int n = 0, used = 0;
        while (reader.Read())
        {
            double value;
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    if (used < chunk.Length) Array.Resize(ref chunk, used);
                    chunks.Add(chunk);
                    return new NullableDoubleList([.. chunks], n);
                case JsonTokenType.Number:
                    if (!reader.TryGetDouble(out value)) throw new JsonArrayElementException(n);
                    break;
                case JsonTokenType.Null:
                    value = double.NaN;
                    break;
                default:
                    throw new JsonArrayElementException(n, reader.TokenType == JsonTokenType.String);
            }
            if (used == chunk.Length)
            {
                if (chunk.Length < NullableDoubleList.ChunkLength) Array.Resize(ref chunk, Math.Min(2 * chunk.Length, NullableDoubleList.ChunkLength));
                else
                {
                    chunks.Add(chunk);
                    chunk = new double[NullableDoubleList.ChunkLength];
                    used = 0;
                }
            }
            chunk[used++] = value;
            n++;
        }
        throw new JsonException("The JSON array ends early."); // the serializer hands a converter the whole value
    }

    /// <summary>What it reads: an array of numbers or nulls.</summary>
    public void Describe(OpenApiSchema schema) => NullableFloatArrayConverter.DescribeNullableNumbers(schema);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<double?> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value)
        {
            if (v is { } x) writer.WriteNumberValue(x);
            else writer.WriteNullValue();
        }
        writer.WriteEndArray();
    }
}

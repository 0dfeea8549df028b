using System.Text.Json;
using LstmService.Infrastructure;

namespace LstmService.Tests;

/// <summary>The chunked reader of every <c>IReadOnlyList&lt;double?&gt;</c> in a request: the values the built-in reader reads, at every chunk boundary.</summary>
public sealed class NullableDoubleListConverterTests
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        ApiDefaults.ConfigureJson(options);
        return options;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(NullableDoubleList.ChunkLength - 1)]
    [InlineData(NullableDoubleList.ChunkLength)]
    [InlineData(NullableDoubleList.ChunkLength + 1)]
    [InlineData(3 * NullableDoubleList.ChunkLength + 5)]
    public void Reads_the_values_and_nulls_the_built_in_reader_reads(int length)
    {
        var rng = new Random(length);
        var values = Enumerable.Range(0, length).Select(i => rng.Next(7) == 0 ? (double?)null : Math.Round((rng.NextDouble() - 0.5) * 1e6, rng.Next(8))).ToArray();
        var json = JsonSerializer.Serialize(values);

        var read = JsonSerializer.Deserialize<IReadOnlyList<double?>>(json, Options)!;

        Assert.IsType<NullableDoubleList>(read);
        Assert.Equal(JsonSerializer.Deserialize<List<double?>>(json), read.ToList());
        Assert.Equal(length, read.Count);
        for (var i = 0; i < length; i++) Assert.Equal(values[i], read[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => read[length]);
        Assert.Equal(json, JsonSerializer.Serialize(read, Options));
    }

    [Theory]
    [InlineData("[1,2,\"3\"]", 2)]
    [InlineData("[true]", 0)]
    [InlineData("[1,[2]]", 1)]
    public void An_element_that_is_not_a_number_or_null_is_named_by_its_index(string json, int index) =>
        Assert.Equal(index, Assert.Throws<JsonArrayElementException>(() => JsonSerializer.Deserialize<IReadOnlyList<double?>>(json, Options)).Index);

    [Fact]
    public void Covariates_read_through_it_with_their_duplicate_keys_refused()
    {
        var covariates = JsonSerializer.Deserialize<IReadOnlyDictionary<string, IReadOnlyList<double?>>>("""{"x":[1,null,3],"y":[]}""", Options)!;
        Assert.Equal([1, null, 3], covariates["x"]);
        Assert.Empty(covariates["y"]);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<IReadOnlyDictionary<string, IReadOnlyList<double?>>>("""{"x":[1],"x":[2]}""", Options));
    }
}

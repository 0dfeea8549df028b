using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>Request bodies compressed with gzip, br or deflate are read decompressed; any other Content-Encoding is a 415.</summary>
public sealed class RequestEncodingTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { series = new[] { new { history = Api.Sine(24) } } }));

    private static byte[] Compress(string encoding)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            _ => new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true), // HTTP's "deflate" is the zlib format
        })
            compressor.Write(Body);
        return buffer.ToArray();
    }

    private Task<HttpResponseMessage> Post(byte[] body, string? encoding)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        if (encoding is not null) content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        return fixture.Client.PostAsync("/models/tiny/forecast", content);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task A_compressed_body_forecasts_as_the_plain_one(string encoding)
    {
        var plain = await Post(Body, null);
        var packed = await Post(Compress(encoding), encoding);
        Assert.True(packed.StatusCode == HttpStatusCode.OK, await packed.Content.ReadAsStringAsync());
        Assert.Equal(
            JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText(),
            JsonDocument.Parse(await packed.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText());
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("gzip, br")]
    public async Task Another_encoding_answers_415_naming_those_taken(string encoding)
    {
        // The compressed bytes had reached the JSON reader: "'0x1F' is an invalid start of a value".
        var problem = await (await Post(Compress("gzip"), encoding)).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"'{encoding}'", detail);
        Assert.Contains("gzip, br, deflate", detail);
    }
}

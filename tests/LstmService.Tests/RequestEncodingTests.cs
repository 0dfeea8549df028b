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

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task A_body_that_does_not_decompress_is_a_400_naming_the_body(string encoding)
    {
        // Plain JSON labelled compressed: the decompressing stream threw as the handler read it, and the client got a 500.
        var problem = await (await Post(Body, encoding)).ProblemAsync(HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("body").EnumerateArray()).GetString();
        Assert.Contains($"not valid {encoding} data", message);
    }

    [Fact]
    public async Task A_request_without_a_body_is_not_refused_for_its_content_encoding()
    {
        var probe = new HttpRequestMessage(HttpMethod.Get, "/health/ready") { Content = new ByteArrayContent([]) };
        probe.Content.Headers.TryAddWithoutValidation("Content-Encoding", "zstd");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(probe)).StatusCode);
    }
}

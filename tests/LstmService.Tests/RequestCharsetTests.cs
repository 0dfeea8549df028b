using System.Net;
using System.Text;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>A JSON body's charset: quoted or spelled "utf8" it is read as UTF-8; one the service cannot decode is a 415, not a 500.</summary>
public sealed class RequestCharsetTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly string Body = JsonSerializer.Serialize(new { series = new[] { new { history = Api.Sine(24) } } });

    private Task<HttpResponseMessage> Post(string url, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return fixture.Client.PostAsync(url, content);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")] // RFC 9110 lets a parameter's value be quoted
    [InlineData("application/json; charset=UTF8")]
    [InlineData("application/json;charset=\"UTF-8\"")]
    public async Task A_quoted_or_common_spelling_of_utf8_forecasts_as_plain_json(string contentType)
    {
        var plain = await Post("/models/tiny/forecast", Body, "application/json");
        var spelled = await Post("/models/tiny/forecast", Body, contentType);
        Assert.True(spelled.StatusCode == HttpStatusCode.OK, await spelled.Content.ReadAsStringAsync());
        Assert.Equal(
            JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText(),
            JsonDocument.Parse(await spelled.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText());
    }

    [Theory]
    [InlineData("/models/tiny/forecast", "windows-1252")]
    [InlineData("/models/tiny/forecast", "bogus")]
    [InlineData("/models/tiny/forecast", "\"\"")]
    [InlineData("/models/tiny/forecast", "")]
    [InlineData("/models/charset/training-jobs", "shift_jis")]
    public async Task A_charset_the_service_cannot_decode_answers_415_naming_it(string url, string charset)
    {
        var response = await Post(url, Body, $"application/json; charset={charset}");
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains($"charset '{charset.Trim('"')}'", problem.GetProperty("detail").GetString());
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_utf16_body_that_says_so_forecasts_as_the_utf8_one()
    {
        var plain = await Post("/models/tiny/forecast", Body, "application/json");
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes(Body));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");
        var wide = await fixture.Client.PostAsync("/models/tiny/forecast", content);
        Assert.True(wide.StatusCode == HttpStatusCode.OK, await wide.Content.ReadAsStringAsync());
        Assert.Equal(
            JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText(),
            JsonDocument.Parse(await wide.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts").GetRawText());
        // A bodiless request's charset decodes nothing and refuses nothing.
        var get = new HttpRequestMessage(HttpMethod.Get, "/models/tiny");
        get.Headers.TryAddWithoutValidation("Accept", "application/json");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(get)).StatusCode);
    }

    [Fact]
    public async Task A_quoted_charset_on_an_alias_is_read()
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/models/tiny/aliases/quoted")
        {
            Content = new ByteArrayContent("""{"version":1}"""u8.ToArray()) { Headers = { { "Content-Type", "application/json; charset=\"utf-8\"" } } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

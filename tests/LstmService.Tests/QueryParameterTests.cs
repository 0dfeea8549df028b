using System.Net;
using System.Net.Http.Json;

namespace LstmService.Tests;

/// <summary>A query parameter an endpoint does not read is refused naming it, as an unknown body field is; those it reads still work.</summary>
public sealed class QueryParameterTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly object Forecast = new { series = new[] { new { history = Api.Sine(24) } } };

    [Fact]
    public async Task A_body_field_sent_as_a_query_parameter_is_named_not_ignored()
    {
        // ?horizon=3 had answered the model's whole horizon: the 3 went nowhere.
        var errors = await (await fixture.Client.PostJsonAsync("/models/tiny/forecast?horizon=3", Forecast)).ValidationErrorsAsync();
        var message = Assert.Single(errors["horizon"]);
        Assert.Contains("Unknown query parameter", message);
        Assert.Contains("it takes ?alias, ?version", message);
    }

    [Theory]
    [InlineData("GET", "/models?page=2", "page", "GET /models does not read it (it takes no query parameters)")]
    [InlineData("GET", "/training-jobs?model=tiny&state=queued", "state", "it takes ?before, ?limit, ?model, ?status")]
    [InlineData("GET", "/models/tiny/versions/1/weights?fromat=torch", "fromat", "?format")]
    [InlineData("HEAD", "/models/tiny?x=1", null, null)]
    [InlineData("GET", "/models?=1&query=2", "query", "it takes no query parameters")] // a nameless one beside "query" (had been a 500)
    public async Task Each_unknown_name_is_named_with_what_the_endpoint_takes(string method, string url, string? field, string? takes)
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (field is null) return; // HEAD: the status alone
        Assert.Contains(takes!, Assert.Single((await response.ValidationErrorsAsync())[field]));
    }

    [Theory]
    [InlineData("/training-jobs?model=tiny&status=succeeded&limit=5")]
    [InlineData("/training-jobs?MODEL=tiny")] // names bind whatever their case
    [InlineData("/models/tiny/versions/1/weights?format=torch")]
    [InlineData("/v2/models/tiny?anything=1")] // the v2 protocol's clients follow their own specification
    [InlineData("/dashboard/app.js?v=2")] // files, not the API's handlers
    [InlineData("/health/ready?probe=1")]
    public async Task Names_the_endpoint_reads_and_endpoints_left_alone_are_answered(string url)
    {
        var response = await fixture.Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("format=onnx", "Must be binary or torch.")]
    [InlineData("format=torch&format=torch", "Give format once: binary or torch.")] // bound as "torch,torch"
    public async Task A_weights_format_is_named_as_given(string query, string message)
    {
        var errors = await (await fixture.Client.GetAsync($"/models/tiny/versions/1/weights?{query}")).ValidationErrorsAsync();
        Assert.Equal(message, Assert.Single(errors["format"]));
    }

    [Fact]
    public async Task Query_parameters_a_serving_endpoint_reads_still_choose()
    {
        var response = await fixture.Client.PostJsonAsync("/models/tiny/forecast?version=1", Forecast);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("version").GetInt32());
    }
}

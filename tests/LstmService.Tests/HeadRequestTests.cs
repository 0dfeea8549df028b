using System.Net;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>A trained model "head" and a stream on it, for HEAD requests to read.</summary>
public sealed class HeadRequestFixture : ServiceFixture
{
    public Guid JobId { get; private set; }
    public string StreamId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        JobId = (await Client.TrainAsync("head", Api.TinyTraining(epochs: 1))).Id;
        var stream = await Client.PostJsonAsync("/models/head/streams", new { seriesId = "s", history = Api.Sine(24) });
        Assert.Equal(HttpStatusCode.Created, stream.StatusCode);
        StreamId = (await stream.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

/// <summary>
/// HEAD answers what GET would, for every GET endpoint, and is no operation of its own in the OpenAPI document; a version's
/// weights, in either format, revalidate with their ETag (If-None-Match, If-Match), as HEAD lets a client check them.
/// </summary>
public sealed class HeadRequestTests(HeadRequestFixture fixture) : IClassFixture<HeadRequestFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private Task<HttpResponseMessage> Head(string path) => _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

    [Fact]
    public async Task Head_answers_the_status_and_content_type_of_get()
    {
        string[] paths =
        [
            "/models", "/models/head", "/models/head/versions/1", "/models/head/versions/1/weights", "/models/head/versions/1/monitoring",
            "/training-jobs", $"/training-jobs/{fixture.JobId}", $"/streams/{fixture.StreamId}", $"/streams/{fixture.StreamId}/state",
            "/v2", "/v2/models/head", "/v2/models/head/versions/1/ready", "/openapi/v1.json", "/",
            // Not found, and a route value of the wrong form, answer as GET's do.
            "/models/absent", "/models/head/versions/9", $"/training-jobs/{Guid.NewGuid()}", "/streams/absent",
        ];
        foreach (var path in paths)
        {
            var get = await _client.GetAsync(path);
            var head = await Head(path);
            Assert.True(get.StatusCode == head.StatusCode, $"{path}: GET {get.StatusCode}, HEAD {head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        }
        // A version's weights carry the same validator, so a client can check for a change without downloading them.
        var weights = await _client.GetAsync("/models/head/versions/1/weights");
        Assert.Equal(weights.Headers.ETag, (await Head("/models/head/versions/1/weights")).Headers.ETag);
        Assert.NotNull(weights.Headers.ETag);
    }

    [Fact]
    public async Task Head_on_a_job_s_event_stream_answers_at_once_and_takes_no_stream()
    {
        // A finished job's GET stream would end by itself; HEAD of any job's stream ends before a single event.
        var head = await Head($"/training-jobs/{fixture.JobId}/events");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/event-stream", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Head($"/training-jobs/{Guid.NewGuid()}/events")).StatusCode);
    }

    [Fact]
    public async Task Head_where_get_is_not_taken_is_a_405_naming_the_methods()
    {
        var response = await Head("/models/head/forecast");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.DoesNotContain("HEAD", response.Content.Headers.Allow);
        // Health probes keep their own HEAD endpoints (two would be ambiguous).
        Assert.Equal(HttpStatusCode.OK, (await Head("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_no_head_operations()
    {
        var paths = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var methods = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => m.Name)).ToList();
        Assert.Contains("get", methods);
        Assert.DoesNotContain("head", methods);
    }

    [Fact]
    public async Task Weights_in_either_format_revalidate_with_their_own_etag()
    {
        foreach (var query in new[] { "", "?format=torch" })
        {
            var path = "/models/head/versions/1/weights" + query;
            var first = await _client.GetAsync(path);
            var tag = first.Headers.ETag;
            Assert.NotNull(tag); // the torch document had none, so a client downloaded it whole each time
            var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag!);
            Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(again)).StatusCode);
            var stale = new HttpRequestMessage(HttpMethod.Get, path);
            stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"other\""));
            var refused = await (await _client.SendAsync(stale)).ProblemAsync(HttpStatusCode.PreconditionFailed);
            Assert.Contains($"has the ETag {tag}", refused.GetProperty("detail").GetString()); // the framework's own 412 had no detail
            foreach (var match in new[] { tag!, System.Net.Http.Headers.EntityTagHeaderValue.Any })
            {
                var current = new HttpRequestMessage(HttpMethod.Get, path);
                current.Headers.IfMatch.Add(match);
                Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(current)).StatusCode);
            }
        }
        // Two representations, two tags: a binary copy's tag does not revalidate the torch document.
        var binary = (await _client.GetAsync("/models/head/versions/1/weights")).Headers.ETag!;
        var torch = new HttpRequestMessage(HttpMethod.Get, "/models/head/versions/1/weights?format=torch");
        torch.Headers.IfNoneMatch.Add(binary);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(torch)).StatusCode);

        // The OpenAPI document declares the headers and the 412.
        var operation = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement
            .GetProperty("paths").GetProperty("/models/{name}/versions/{version}/weights").GetProperty("get");
        var headers = operation.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["If-None-Match", "If-Match"], headers);
        Assert.True(operation.GetProperty("responses").GetProperty("412").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }
}

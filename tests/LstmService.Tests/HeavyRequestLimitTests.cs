using System.Net;
using System.Text;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LstmService.Tests;

/// <summary>HeavyRequests:MaxConcurrent: the request over the limit is told to come back (503, Retry-After); light ones never wait.</summary>
public sealed class HeavyRequestLimitTests
{
    /// <summary>A request body that sends its first bytes and then waits until the test lets it finish.</summary>
    private sealed class HeldBody(string head, string tail) : HttpContent
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head));
            await stream.FlushAsync();
            await Release.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(tail));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false; // no Content-Length: a body of unknown size counts as heavy
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>
    /// Starts a held request on <paramref name="holdPath"/> and sends <paramref name="probe"/> until it is refused with 503
    /// while the held one is still open. A probe that is running when the held request arrives refuses that one instead;
    /// then a new held request is started.
    /// </summary>
    private static async Task<(HeldBody Held, Task<HttpResponseMessage> Holding, HttpResponseMessage Refused)> HoldTheSlotAsync(
        HttpClient client, string holdPath, Func<Task<HttpResponseMessage>> probe, HttpStatusCode unheldStatus)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var held = new HeldBody("""{"series":[{"history":[1,2,""", "3]}]}");
            held.Headers.ContentType = new("application/json");
            var holding = client.PostAsync(holdPath, held);
            while (!holding.IsCompleted && DateTime.UtcNow < deadline)
            {
                var response = await probe();
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && !holding.IsCompleted) return (held, holding, response);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable) Assert.Equal(unheldStatus, response.StatusCode);
                await Task.Delay(20);
            }
            if (holding.IsCompleted) await (await holding).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        }
        throw new TimeoutException("The held request never took the slot.");
    }

    [Fact]
    public async Task Over_the_limit_a_heavy_request_gets_503_with_Retry_After_and_small_forecasts_still_pass()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["HeavyRequests:MaxConcurrent"] = "1",
            ["HeavyRequests:RetryAfterSeconds"] = "7",
        });
        // The server's own client: CreateClient's redirect handler buffers a request body before sending it, which would hold nothing.
        var client = factory.Server.CreateClient();

        // One forecast of unknown length holds the only slot while its body is still arriving; a training submit (always heavy)
        // is refused meanwhile (and validated as usual, 400, before the held request has the slot).
        var (held, holding, refused) = await HoldTheSlotAsync(client, "/models/none/forecast",
            () => client.PostAsync("/models/m/training-jobs", Json("""{"series":[]}""")), HttpStatusCode.BadRequest);
        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("HeavyRequests:MaxConcurrent", problem.GetProperty("detail").GetString());
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);

        // Registering a version is heavy too; a small forecast (known length under HeavyRequests:ForecastBodyBytes) is not.
        // Each refusal is counted apart from server errors (the shipped 5xx alert subtracts them).
        var refusedBefore = await RefusalsAsync(client);
        await (await client.PostAsync("/models/m/versions", Json("{}"))).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(refusedBefore + 1, await RefusalsAsync(client));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/models/none/forecast", Json("""{"series":[{"history":[1,2,3]}]}"""))).StatusCode);

        // The held request finishes normally and gives its slot back.
        held.Release.SetResult();
        Assert.Equal(HttpStatusCode.NotFound, (await holding).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/models/m/training-jobs", Json("""{"series":[]}"""))).StatusCode);
    }

    private static async Task<double> RefusalsAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync("/metrics")).Where(m => m.Name == "lstm_heavy_requests_refused_total").Sum(m => m.Value);

    [Fact]
    public async Task A_forecast_body_over_the_threshold_counts_as_heavy()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["HeavyRequests:MaxConcurrent"] = "1",
            ["HeavyRequests:ForecastBodyBytes"] = "10",
        });
        var client = factory.Server.CreateClient();
        // A forecast of unknown length holds the slot; one of 33 bytes with a Content-Length (over the 10-byte threshold) is refused.
        var (held, holding, response) = await HoldTheSlotAsync(client, "/models/none/forecast",
            () => client.PostAsync("/models/none/forecast", Json("""{"series":[{"history":[1,2,3]}]}""")), HttpStatusCode.NotFound);
        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        // So is a compressed body under the threshold: read decompressed, it may be as large as the body limit allows.
        var packed = new ByteArrayContent(Gzip("{}"));
        packed.Headers.ContentType = new("application/json");
        packed.Headers.ContentEncoding.Add("gzip");
        Assert.True(packed.Headers.ContentLength is null or <= 30);
        await (await client.PostAsync("/models/none/forecast", packed)).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        // So are a stream's open and append over the threshold: their bodies bind values as a forecast's do.
        var stream = $"/streams/{Guid.NewGuid():N}/observations";
        await (await client.PostAsync(stream, Json("""{"values":[1,2,3]}"""))).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        await (await client.PostAsync("/models/none/streams", Json("""{"seriesId":"s","history":[1,2,3]}"""))).ProblemAsync(HttpStatusCode.ServiceUnavailable);

        held.Release.SetResult();
        await holding;
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/models/none/forecast", Json("""{"series":[{"history":[1,2,3]}]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(stream, Json("""{"values":[1,2,3]}"""))).StatusCode);
    }

    [Fact]
    public async Task Large_bodies_a_read_key_may_send_leave_one_slot_for_training_submits_and_registrations()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["HeavyRequests:MaxConcurrent"] = "2",
            ["HeavyRequests:ForecastBodyBytes"] = "10",
        });
        var client = factory.Server.CreateClient();
        // A forecast of unknown length holds the one slot such bodies may have; a second large forecast is refused ...
        var (held, holding, response) = await HoldTheSlotAsync(client, "/models/none/forecast",
            () => client.PostAsync("/models/none/forecast", Json("""{"series":[{"history":[1,2,3]}]}""")), HttpStatusCode.NotFound);
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("one is kept for training submits and version registrations", problem.GetProperty("detail").GetString());

        // So is a weights export in torch's format (built whole in memory); the binary file is streamed and never waits.
        var export = await (await client.GetAsync("/models/none/versions/1/weights?format=torch")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("torch's format", export.GetProperty("detail").GetString());
        // Spelled as the handler accepts it too (it had run uncounted).
        await (await client.GetAsync("/models/none/versions/1/weights?format=TORCH")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        await (await client.GetAsync("/models/none/versions/1/weights")).ProblemAsync(HttpStatusCode.NotFound);

        // ... while a training submit and a registration still get the slot kept for them (and their usual 400).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/models/m/training-jobs", Json("""{"series":[]}"""))).StatusCode);
        await (await client.PostAsync("/models/m/versions", Json("{}"))).ValidationErrorsAsync();

        held.Release.SetResult();
        await holding;
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/models/none/forecast", Json("""{"series":[{"history":[1,2,3]}]}"""))).StatusCode);
    }

    [Theory]
    [InlineData("HeavyRequests:MaxConcurrent", "-1")]
    [InlineData("HeavyRequests:RetryAfterSeconds", "0")]
    [InlineData("HeavyRequests:ForecastBodyBytes", "-5")]
    [InlineData("HeavyRequests:MinBodyBytesPerSecond", "-1")]
    public async Task Bad_settings_stop_the_service_at_start(string key, string value)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { [key] = value });
        // Named by its configuration path, with the value read (a number; strings are not echoed).
        Assert.Contains(key, error.ToString());
        if (value != "") Assert.Contains($"(it is {value})", error.ToString());
    }

    /// <summary>Kestrel's per-request body rate feature: HTTP/2 and 3 refuse a rate (NotSupportedException) as Kestrel's own streams do.</summary>
    private sealed class BodyRateFeature(bool supported) : Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature
    {
        private Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate? _rate;

        public Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate? MinDataRate
        {
            get => _rate;
            set => _rate = supported ? value : throw new NotSupportedException("HTTP/2 takes no per-request rate");
        }
    }

    [Theory]
    [InlineData("HTTP/1.1", true)]
    [InlineData("HTTP/2", false)]
    [InlineData("HTTP/3", false)]
    public async Task The_body_rate_is_set_on_HTTP_1_only_and_other_protocols_pass(string protocol, bool rated)
    {
        var limiter = new HeavyRequestLimiter(_ => Task.CompletedTask,
            Microsoft.Extensions.Options.Options.Create(new HeavyRequestOptions { MinBodyBytesPerSecond = 5000 }), new ServiceMetrics());
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.SetEndpoint(new Microsoft.AspNetCore.Http.Endpoint(null, new Microsoft.AspNetCore.Http.EndpointMetadataCollection(new HeavyRequestMetadata(true)), "submit"));
        var feature = new BodyRateFeature(supported: rated);
        context.Features.Set<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature>(feature);
        await limiter.InvokeAsync(context); // an HTTP/2 request used to throw here (a 500 for every heavy request)
        Assert.Equal(rated ? 5000 : null, feature.MinDataRate?.BytesPerSecond);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }
}

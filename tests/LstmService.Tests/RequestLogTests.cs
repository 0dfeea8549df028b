using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace LstmService.Tests;

/// <summary>Serilog's request logging: one event per request with the endpoint, model, version and series count.</summary>
public sealed class RequestLogTests
{
    private static string? Scalar(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Fact]
    public async Task Each_request_writes_one_event_enriched_with_model_version_and_series_count()
    {
        var sink = new CapturingSerilogSink();
        await using var factory = new LstmServiceFactory(services: s => s.AddSingleton<ILogger>(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()));
        var client = factory.CreateClient();
        await client.TrainAsync("logged");
        var before = sink.Events.Count;

        var body = new { series = new[] { new { history = Api.Sine(12) }, new { history = Api.Sine(12) }, new { history = Api.Sine(12) } } };
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/logged/forecast?version=1", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/models/absent/forecast", body)).StatusCode);

        var events = sink.Events.Skip(before).ToList();
        Assert.Equal(2, events.Count);
        var ok = events[0];
        Assert.Equal(LogEventLevel.Information, ok.Level);
        Assert.Equal("POST", Scalar(ok, "RequestMethod"));
        Assert.Equal("/models/{name}/forecast", Scalar(ok, "Endpoint"));
        Assert.Equal("logged", Scalar(ok, "Model"));
        Assert.Equal("1", Scalar(ok, "Version"));
        Assert.Equal("3", Scalar(ok, "SeriesCount"));
        Assert.Equal("200", Scalar(ok, "StatusCode"));
        Assert.Matches(@"^HTTP POST /models/logged/forecast responded 200 in [0-9.]+ ms$", ok.RenderMessage());
        Assert.Equal(("absent", "404", null), (Scalar(events[1], "Model"), Scalar(events[1], "StatusCode"), Scalar(events[1], "Version")));

        // A made-up method's 501 is the client's doing: logged as information, so it cannot trip alerts on error lines.
        before = sink.Events.Count;
        Assert.Equal(HttpStatusCode.NotImplemented, (await client.SendAsync(new HttpRequestMessage(new HttpMethod("FOO"), "/models"))).StatusCode);
        var refused = Assert.Single(sink.Events.Skip(before));
        Assert.Equal(("501", LogEventLevel.Information), (Scalar(refused, "StatusCode"), refused.Level));

        // The compact JSON format (Logs:Format json) writes such an event as one JSON object with its properties.
        var json = new StringWriter();
        new RenderedCompactJsonFormatter().Format(ok, json);
        var parsed = System.Text.Json.JsonDocument.Parse(json.ToString()).RootElement;
        Assert.Equal("logged", parsed.GetProperty("Model").GetString());
        Assert.Equal(3, parsed.GetProperty("SeriesCount").GetInt32());
    }

    [Fact]
    public async Task The_event_names_the_callers_key_and_keeps_credentials_out_of_the_query()
    {
        const string key = "a-write-key-for-the-log-test";
        var hash = AuthFixture.Hash(key);
        var sink = new CapturingSerilogSink();
        await using var factory = new LstmServiceFactory(
            settings: new Dictionary<string, string?> { ["Auth:ApiKeys:0:Sha256"] = hash, ["Auth:ApiKeys:0:Role"] = "write", ["Auth:ApiKeys:0:Name"] = "ci" },
            services: s => s.AddSingleton<ILogger>(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var before = sink.Events.Count;

        // A key in the URL is refused (keys go in headers), and its value still kept out of the log.
        var refused = await client.GetAsync("/models/absent?api_key=leaked-secret&version=2");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-Api-Key", Assert.Single((await refused.ValidationErrorsAsync())["api_key"]));

        var logged = Assert.Single(sink.Events.Skip(before));
        Assert.Equal("ci", Scalar(logged, "ApiKey"));
        Assert.Equal("?api_key=***&version=2", Scalar(logged, "RequestQuery"));
        var json = new StringWriter();
        new RenderedCompactJsonFormatter().Format(logged, json);
        Assert.DoesNotContain("leaked-secret", json.ToString());
        Assert.DoesNotContain(key, json.ToString());
        Assert.DoesNotContain(hash, json.ToString());
    }

    [Fact]
    public async Task Refusals_made_before_authentication_still_name_the_callers_key()
    {
        const string key = "a-write-key-for-the-refusal-test";
        var sink = new CapturingSerilogSink();
        await using var factory = new LstmServiceFactory(
            settings: new Dictionary<string, string?>
            {
                ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash(key), ["Auth:ApiKeys:0:Role"] = "write", ["Auth:ApiKeys:0:Name"] = "ci",
                ["RequestLimits:MaxBodyBytes"] = "2048", ["TrainingQueue:Workers"] = "0",
            },
            services: s => s.AddSingleton<ILogger>(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models")).StatusCode); // started
        // Over the body limit by Content-Length, in an encoding not taken, in a content type not taken: each is answered
        // before the key is checked, and had been logged without it, so an operator could not tell who sent it.
        var big = new StringContent(new string('1', 4096), System.Text.Encoding.UTF8, "application/json");
        var zstd = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        zstd.Headers.ContentEncoding.Add("zstd");
        var text = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain");
        foreach (var (content, status) in new (HttpContent, HttpStatusCode)[] { (big, HttpStatusCode.RequestEntityTooLarge), (zstd, HttpStatusCode.UnsupportedMediaType), (text, HttpStatusCode.UnsupportedMediaType) })
        {
            var before = sink.Events.Count;
            Assert.Equal(status, (await client.PostAsync("/models/m/forecast", content)).StatusCode);
            var logged = Assert.Single(sink.Events.Skip(before));
            Assert.Equal("ci", Scalar(logged, "ApiKey"));
        }
    }

    [Fact]
    public async Task An_unknown_log_format_stops_the_start_naming_the_setting()
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["Logs:Format"] = "xml" });
        Assert.Contains("Logs:Format must be 'text' or 'json'", error.ToString());
    }
}

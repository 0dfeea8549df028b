using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace LstmService.Tests;

/// <summary>AllowedHosts: a request for another host name answers 400 ProblemDetails (not ASP.NET Core's HTML page); probes and metrics answer any host.</summary>
public sealed class HostNameFilterTests
{
    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Another_host_name_is_a_problem_naming_the_header_and_the_setting()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "lstm.example.com;*.svc.example.org",
            ["TrainingQueue:Workers"] = "0",
        });
        var client = factory.Server.CreateClient();

        var refused = await GetAsync(client, "/models", "rebound.attacker.test");
        var problem = await refused.ProblemAsync(HttpStatusCode.BadRequest);
        // The allowed names are not echoed: they may be internal.
        Assert.Equal("The Host header 'rebound.attacker.test' is none of the host names this service answers to (the setting AllowedHosts).",
            problem.GetProperty("detail").GetString());
        Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());

        // Listed names pass, with a port and by a wildcard; so do the probes and the metrics by any name (a pod's IP).
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/models", "lstm.example.com:8080")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/models", "lstm-service.svc.example.org")).StatusCode);
        foreach (var path in new[] { "/health/live", "/health/ready", "/metrics", "/v2/health/live", "/v2/health/ready" }) // KServe probes by IP too
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, path, "10.1.2.3:8080")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/models/demo/forecast", "10.1.2.3:8080")).StatusCode);
    }

    [Fact]
    public async Task A_refused_host_is_logged_with_its_name()
    {
        var sink = new CapturingSerilogSink();
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "lstm.example.com", ["TrainingQueue:Workers"] = "0" },
            services: s => s.AddSingleton<ILogger>(new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()));
        var client = factory.Server.CreateClient();
        await GetAsync(client, "/health/live", "lstm.example.com"); // started
        var before = sink.Events.Count;
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/models", "rebound.attacker.test")).StatusCode);
        var refused = Assert.Single(sink.Events.Skip(before));
        Assert.Equal(("rebound.attacker.test", 400), (((ScalarValue)refused.Properties["Host"]).Value, (int)((ScalarValue)refused.Properties["StatusCode"]).Value!));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ; ")]
    public async Task A_setting_that_names_no_host_refuses_the_start(string value)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["AllowedHosts"] = value, ["TrainingQueue:Workers"] = "0" });
        Assert.Contains("AllowedHosts is set but names no host name", error.Message);
    }

    [Theory]
    // Each had started a service whose every request answered 400 while readiness stayed up.
    [InlineData("localhost,127.0.0.1", "'localhost,127.0.0.1'")]
    [InlineData("api.example.com;http://localhost", "'http://localhost'")]
    [InlineData("localhost:9101", "'localhost:9101'")]
    [InlineData("exa mple.com", "'exa mple.com'")]
    public async Task An_entry_that_is_no_host_name_refuses_the_start_naming_it(string value, string named)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["AllowedHosts"] = value, ["TrainingQueue:Workers"] = "0" });
        Assert.Contains($"AllowedHosts holds {named}, which is no host name", error.Message);
        Assert.Contains("not ','", error.Message);
    }

    [Theory]
    [InlineData("api.example.com;*.example.org;127.0.0.1;[::1];münchen.example;localhost")]
    [InlineData("*")]
    public async Task Host_names_wildcards_and_addresses_start(string value)
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["AllowedHosts"] = value, ["TrainingQueue:Workers"] = "0" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(factory.Server.CreateClient(), "/health/live", "localhost")).StatusCode);
    }

    [Fact]
    public async Task The_default_star_answers_every_host()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(factory.Server.CreateClient(), "/models", "anything.example")).StatusCode);
    }
}

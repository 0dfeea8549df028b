using System.Diagnostics;
using System.Globalization;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Display;

namespace LstmService.Tests;

/// <summary>
/// <see cref="RequestLoggingMiddleware"/> against Serilog.AspNetCore's request logging, which it replaced: the same requests
/// through both give the same events (category, level, template, properties in the same order, exception), and the category's
/// level override still silences them.
/// </summary>
public sealed class RequestLoggingMiddlewareTests
{
    /// <summary>A request to run through a pipeline: what it asks, what its handler sets and answers.</summary>
    private sealed record Case(string Method, string Path, string? Query, string? Route, string? Model, (string Name, object? Value)[] Set, int Status, bool Throws = false);

    private static readonly Case[] Cases =
    [
        new("POST", "/models/m1/forecast", null, "/models/{name}/forecast", "m1", [("Version", 3), ("SeriesCount", 12)], 200),
        new("POST", "/models/absent/forecast", "?version=2", "/models/{name}/forecast", "absent", [], 404),
        new("GET", "/health/live", null, "/health/live", null, [], 200),
        new("GET", "/nowhere", "?a=1&b=%20x", null, null, [], 404),
        new("PUT", "/models/m2/aliases/prod", null, "/models/{name}/aliases/{alias}", "m2", [("Version", 1)], 503),
        new("POST", "/models/m3/training-jobs", null, "/models/{name}/training-jobs", "m3", [("SeriesCount", 2), ("Model", "set-by-handler"), ("SeriesCount", 5)], 202),
        new("BREW", "/pot", null, null, null, [("Note", "teapot"), ("Ratio", 0.25), ("Flag", true), ("Kind", DayOfWeek.Friday)], 418),
        new("DELETE", "/models/m4", null, "/models/{name}", "m4", [("Version", 7)], 500, Throws: true),
    ];

    private static readonly string[] TraceIds = Cases.Select((_, i) => (i + 1).ToString("x32")).ToArray();

    private static (Serilog.ILogger Logger, CapturingSerilogSink Sink) CapturingLogger(LogEventLevel? categoryLevel = null, int? maximumStringLength = null)
    {
        var sink = new CapturingSerilogSink();
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink);
        if (maximumStringLength is { } length) configuration = configuration.Destructure.ToMaximumStringLength(length);
        if (categoryLevel is { } level) configuration = configuration.MinimumLevel.Override(RequestLoggingMiddleware.Category, level);
        return (configuration.CreateLogger(), sink);
    }

    private static HttpContext Context(Case c, IServiceProvider services)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = c.Method;
        http.Request.Path = c.Path;
        if (c.Query is not null) http.Request.QueryString = new QueryString(c.Query);
        if (c.Route is not null) http.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(c.Route), 0, EndpointMetadataCollection.Empty, c.Route));
        if (c.Model is not null) http.Request.RouteValues["name"] = c.Model;
        return http;
    }

    /// <summary>Runs every case through a pipeline whose handler sets the case's properties with <paramref name="set"/>.</summary>
    private static async Task RunAsync(Action<IApplicationBuilder> logging, IServiceProvider services, Action<HttpContext, string, object?> set)
    {
        var app = new ApplicationBuilder(services);
        logging(app);
        app.Run(http =>
        {
            var c = (Case)http.Items["case"]!;
            foreach (var (name, value) in c.Set) set(http, name, value);
            if (c.Throws) throw new InvalidOperationException("handler failed");
            http.Response.StatusCode = c.Status;
            return Task.CompletedTask;
        });
        var pipeline = app.Build();
        foreach (var c in Cases)
        {
            var http = Context(c, services);
            http.Items["case"] = c;
            // The trace the server's hosting would start, with fixed ids so both runs' events carry the same ones.
            using var activity = new Activity("request").SetParentId(ActivityTraceId.CreateFromString(TraceIds[Array.IndexOf(Cases, c)]), ActivitySpanId.CreateFromString("b7ad6b7169203331")).Start();
            if (c.Throws) await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline(http));
            else await pipeline(http);
        }
    }

    /// <summary>The event with its elapsed time and timestamp left out (the only parts that differ between two runs).</summary>
    private static string Describe(LogEvent e)
    {
        var properties = string.Join(", ", e.Properties.Where(p => p.Key != "Elapsed").Select(p => $"{p.Key}={p.Value}"));
        var message = new StringWriter();
        new MessageTemplateTextFormatter("{Message:lj}", CultureInfo.InvariantCulture).Format(e, message);
        var text = System.Text.RegularExpressions.Regex.Replace(message.ToString(), @"in [0-9.]+ ms$", "in _ ms");
        return $"{e.Level} | {e.MessageTemplate.Text} | {text} | {properties} | {e.Exception?.GetType().Name}: {e.Exception?.Message} | trace {e.TraceId} | parent span {e.SpanId is { } span && span != default} | elapsed {e.Properties["Elapsed"] is ScalarValue { Value: double }}";
    }

    [Theory]
    [InlineData(null)]
    [InlineData(4)] // a logger with destructuring limits (both bind collected values through it)
    public async Task The_same_requests_give_the_events_Serilog_AspNetCore_gave(int? maximumStringLength)
    {
        var (theirLogger, theirs) = CapturingLogger(maximumStringLength: maximumStringLength);
        var theirServices = new ServiceCollection().AddSingleton(new DiagnosticContext(theirLogger)).AddSingleton<IDiagnosticContext>(sp => sp.GetRequiredService<DiagnosticContext>()).BuildServiceProvider();
        // Serilog.AspNetCore's request logging as the service configured it before RequestLoggingMiddleware.
        await RunAsync(app => app.UseSerilogRequestLogging(o =>
        {
            o.Logger = theirLogger;
            o.MessageTemplate = RequestLog.Template;
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                if (http.GetEndpoint() is RouteEndpoint endpoint) diagnostics.Set("Endpoint", endpoint.RoutePattern.RawText);
                if (http.GetRouteValue("name") is string model) diagnostics.Set("Model", model);
                if (http.Request.QueryString.HasValue) diagnostics.Set("RequestQuery", http.Request.QueryString.Value);
            };
            // With the level the service gives an answered probe or scrape (Debug, RequestLoggingMiddleware.IsProbe).
            o.GetLevel = (http, _, error) => error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/health") && http.Response.StatusCode < 400 ? LogEventLevel.Debug : LogEventLevel.Information;
        }), theirServices, (http, name, value) => http.RequestServices.GetRequiredService<IDiagnosticContext>().Set(name, value));

        var (ourLogger, ours) = CapturingLogger(maximumStringLength: maximumStringLength);
        var ourServices = new ServiceCollection().BuildServiceProvider();
        await RunAsync(app => app.UseMiddleware<RequestLoggingMiddleware>(ourLogger), ourServices, RequestLog.Set);

        Assert.Equal(Cases.Length, theirs.Events.Count);
        Assert.Equal(theirs.Events.Select(Describe), ours.Events.Select(Describe));
        // Spot checks that the comparison sees what matters.
        var events = ours.Events.ToList();
        Assert.Equal(TraceIds[0], events[0].TraceId?.ToHexString());
        if (maximumStringLength is not null) return;
        Assert.Equal("\"Serilog.AspNetCore.RequestLoggingMiddleware\"", events[0].Properties["SourceContext"].ToString());
        Assert.Equal(["Version", "SeriesCount", "Endpoint", "Model", "RequestMethod", "RequestPath", "StatusCode", "Elapsed", "SourceContext"], events[0].Properties.Keys);
        Assert.Equal("5", events[5].Properties["SeriesCount"].ToString());
        Assert.Equal("\"m3\"", events[5].Properties["Model"].ToString());
        Assert.Equal((LogEventLevel.Error, "503"), (events[4].Level, events[4].Properties["StatusCode"].ToString()));
        Assert.Equal((LogEventLevel.Error, "500", "handler failed"), (events[7].Level, events[7].Properties["StatusCode"].ToString(), events[7].Exception?.Message));
        Assert.Equal("\"?a=1&b=%20x\"", events[3].Properties["RequestQuery"].ToString());
    }

    [Theory]
    [InlineData(LogEventLevel.Warning, 2)] // the 503 and the exception only
    [InlineData(LogEventLevel.Fatal, 0)]
    [InlineData(LogEventLevel.Information, 7)] // all but the answered probe, which is Debug
    [InlineData(LogEventLevel.Debug, 8)]
    public async Task The_categorys_level_override_decides_which_requests_are_logged(LogEventLevel level, int expected)
    {
        var (logger, sink) = CapturingLogger(level);
        await RunAsync(app => app.UseMiddleware<RequestLoggingMiddleware>(logger), new ServiceCollection().BuildServiceProvider(), RequestLog.Set);
        Assert.Equal(expected, sink.Events.Count);
    }

    [Theory]
    [InlineData("/health/live", 200, LogEventLevel.Debug)]
    [InlineData("/health/ready", 503, LogEventLevel.Error)] // a failing probe keeps its level
    [InlineData("/v2/health/ready", 200, LogEventLevel.Debug)]
    [InlineData("/metrics", 200, LogEventLevel.Debug)]
    [InlineData("/healthz", 200, LogEventLevel.Information)]
    [InlineData("/models", 200, LogEventLevel.Information)]
    public async Task An_answered_probe_or_scrape_is_logged_at_debug(string path, int status, LogEventLevel expected)
    {
        // The shipped probe and scrape intervals had written about 19,000 Information lines a day per pod.
        var (logger, sink) = CapturingLogger();
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        app.UseMiddleware<RequestLoggingMiddleware>(logger);
        app.Run(http => { http.Response.StatusCode = status; return Task.CompletedTask; });
        var http = new DefaultHttpContext { RequestServices = app.ApplicationServices };
        http.Request.Method = "GET";
        http.Request.Path = path;
        await app.Build()(http);
        Assert.Equal(expected, Assert.Single(sink.Events).Level);
    }

    [Fact]
    public void The_frameworks_request_events_have_their_credentials_masked()
    {
        // Microsoft.AspNetCore raised to Information logs "Request starting ... {QueryString}" as sent.
        var (logger, sink) = CapturingLogger();
        var masked = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.With<QueryStringRedactor>().WriteTo.Logger(logger).CreateLogger();
        masked.Information("Request starting {Path}{QueryString}", "/models", "?api_key=abc123&token=t0k&limit=5");
        masked.Information("Request starting {Path}{QueryString}", "/models", "?limit=5");
        Assert.Equal(["\"?api_key=***&token=***&limit=5\"", "\"?limit=5\""], sink.Events.Select(e => e.Properties["QueryString"].ToString()));
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage().Contains("abc123"));
    }

    [Fact]
    public void Outside_the_middleware_a_handlers_property_is_ignored()
    {
        var http = new DefaultHttpContext();
        RequestLog.Set(http, "Version", 1);
        Assert.Null(http.Features.Get<RequestLogFeature>());
    }
}

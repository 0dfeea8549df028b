using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace LstmService.Infrastructure;

/// <summary>
/// Writes the one event per request (<see cref="RequestLog"/>) into the Serilog pipeline, so enrichers, filters, level
/// overrides and every sink see it as they saw Serilog.AspNetCore's request logging, which it replaces: the same category,
/// template, properties (in the same order), levels and trace ids. It builds the event itself because that middleware's
/// general machinery was a measurable share of a small forecast's CPU: an AsyncLocal collector per request, a lock, a LINQ
/// concatenation and boxed values; here a handler's properties live in a feature of the request, and the method, status
/// and endpoint properties are made once and reused. Where the redirected console is the only place the event could go and
/// nothing could change it, <see cref="RequestLineWriter"/> writes the same line without building the event at all.
/// </summary>
public sealed class RequestLoggingMiddleware
{
    /// <summary>
    /// The events' category (SourceContext): the name Serilog.AspNetCore's middleware logged under, kept so that the level
    /// overrides operators already set (<c>Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware</c>) still apply.
    /// </summary>
    public const string Category = "Serilog.AspNetCore.RequestLoggingMiddleware";

    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(RequestLog.Template);
    // One property per status code (HTTP's are three digits), made on first use.
    private static readonly LogEventProperty?[] StatusProperties = new LogEventProperty?[1000];
    private static readonly FrozenDictionary<string, LogEventProperty> MethodProperties = new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" }
        .ToFrozenDictionary(m => m, m => new LogEventProperty("RequestMethod", new ScalarValue(m)), StringComparer.Ordinal);

    private readonly RequestDelegate _next;
    private readonly Serilog.ILogger _logger;
    private readonly RequestLineWriter? _lines;
    private readonly ShutdownDrain? _drain;
    // Keyed by route pattern: as many entries as the service has routes.
    private readonly ConcurrentDictionary<string, LogEventProperty> _endpoints = new(StringComparer.Ordinal);

    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="logger">The service's Serilog logger (its level overrides decide which requests are logged).</param>
    /// <param name="lines">Writes the usual events straight to the console where nothing else could see them (registered by
    /// <see cref="LoggingExtensions.AddSerilogLogging"/> only then).</param>
    /// <param name="drain">Says when the host is stopping, whose 503s are logged as warnings.</param>
    public RequestLoggingMiddleware(RequestDelegate next, Serilog.ILogger logger, RequestLineWriter? lines = null, ShutdownDrain? drain = null)
    {
        _drain = drain;
        _next = next;
        _logger = logger.ForContext(Constants.SourceContextPropertyName, Category);
        _lines = lines is not null && ReferenceEquals(lines.Logger, logger) ? lines : null;
    }

    public async Task InvokeAsync(HttpContext http)
    {
        long start = Stopwatch.GetTimestamp();
        var properties = new RequestLogFeature();
        http.Features.Set(properties);
        try
        {
            await _next(http);
        }
        // Logged and never caught (the filter returns false), so the exception handler and the server still see the exception.
        catch (Exception error) when (Write(http, properties, 500, start, error))
        {
        }
        Write(http, properties, http.Response.StatusCode, start, null);
    }

    /// <summary>Writes the event when its level is enabled; always false (an exception filter).</summary>
    private bool Write(HttpContext http, RequestLogFeature handlerProperties, int status, long start, Exception? error)
    {
        var level = IsProbe(http.Request.Path) && status < 400 && error is null ? LogEventLevel.Debug : Level(status, error, handlerProperties.Backpressure);
        if (!_logger.IsEnabled(level)) return false;
        // Serilog.AspNetCore's arithmetic, to the last bit (TimeSpan would round to 100 ns).
        double elapsed = (Stopwatch.GetTimestamp() - start) * 1000 / (double)Stopwatch.Frequency;
        var query = http.Request.QueryString;
        var (traceId, spanId) = Activity.Current is { } activity ? (activity.TraceId, activity.SpanId) : default;
        var entry = new RequestLogEntry(DateTimeOffset.Now, level, http.Request.Method, RequestPath(http), status, elapsed,
            handlerProperties.Properties, http.GetEndpoint() as RouteEndpoint, http.GetRouteValue("name") as string, query.HasValue ? LoggedQuery.Redact(query.Value!) : null,
            traceId, spanId, ClientAddressOf(http));
        if (error is null && _lines is not null && _lines.TryWrite(entry)) return false;
        _logger.Write(Event(entry, error));
        return false;
    }

    /// <summary>
    /// A health probe or a metrics scrape (/health/..., /v2/health/..., /metrics): answered, it is logged at Debug. The
    /// shipped probe and scrape intervals had written about 19,000 Information lines a day per pod, which an operator could
    /// not filter from the requests of clients; a failing probe keeps its level.
    /// </summary>
    internal static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/v2/health") || path.StartsWithSegments("/metrics");

    /// <summary>
    /// Serilog.AspNetCore's levels (an exception or a status from 500 up: Error), but for a 501, which answers a method none
    /// recognises (a client's made-up one), and a 503 answered while the host stops as asked (readiness telling the
    /// balancer to go, a body still arriving) or by a limit (<see cref="RequestLog.MarkBackpressure"/>): the client's doing,
    /// the drain's or the configuration's, a warning, not the service failing.
    /// </summary>
    private LogEventLevel Level(int status, Exception? error, bool backpressure)
    {
        if (error is not null) return LogEventLevel.Error;
        if (status < 500 || status == StatusCodes.Status501NotImplemented) return LogEventLevel.Information;
        return status == StatusCodes.Status503ServiceUnavailable && (backpressure || _drain is { Draining: true }) ? LogEventLevel.Warning : LogEventLevel.Error;
    }

    /// <summary>
    /// The client's address as the rate limits see it (a trusted proxy's forwarded one, else the peer's; an IPv4 client on a
    /// dual-stack socket as IPv4): an operator looking into a 429 storm or an open service's abuse had no way to tell
    /// clients apart in the log.
    /// </summary>
    internal static string? ClientAddressOf(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;

    /// <summary>The entry as Serilog.AspNetCore's request logging made its event.</summary>
    internal LogEvent Event(in RequestLogEntry entry, Exception? error)
    {
        // Serilog.AspNetCore's order: what the handler set, the endpoint, model and query, then the template's properties.
        var set = entry.HandlerProperties;
        var properties = new List<LogEventProperty>(set.Count + 8); // the handler's, four collected here, the template's four
        for (int i = 0; i < set.Count; i++) AddBound(properties, set[i].Key, set[i].Value);
        if (entry.Endpoint is { } endpoint)
        {
            if (endpoint.RoutePattern.RawText is { } pattern) properties.Add(_endpoints.GetOrAdd(pattern, p => Bind("Endpoint", p)!)); // a valid name always binds
            else AddBound(properties, "Endpoint", null);
        }
        if (entry.Model is not null) AddBound(properties, "Model", entry.Model);
        if (entry.Query is not null) AddBound(properties, "RequestQuery", entry.Query);
        if (entry.ClientAddress is not null) AddBound(properties, "ClientAddress", entry.ClientAddress);
        // The template's own properties, as Serilog.AspNetCore made them (not through the converter).
        properties.Add(MethodProperty(entry.Method));
        properties.Add(new LogEventProperty("RequestPath", new ScalarValue(entry.Path)));
        properties.Add(StatusProperty(entry.StatusCode));
        properties.Add(new LogEventProperty("Elapsed", new ScalarValue(entry.ElapsedMilliseconds)));

        // A name given twice (a handler's "Model" and the route's) keeps its first place and its last value, as the collector did.
        return new LogEvent(entry.Timestamp, entry.Level, error, Template, properties, entry.TraceId, entry.SpanId);
    }

    /// <summary>
    /// A collected value as Serilog.AspNetCore's diagnostic context bound it: through the logger's converter (its destructuring
    /// limits, such as a maximum string length, apply); a name the logger refuses is left out, as it was.
    /// </summary>
    private LogEventProperty? Bind(string name, object? value)
    {
        // Numbers and booleans come out of the converter as they went in: made directly (the usual Version, SeriesCount).
        if (value is int or long or double or bool && LogEventProperty.IsValidName(name)) return new LogEventProperty(name, new ScalarValue(value));
        return _logger.BindProperty(name, value, destructureObjects: false, out var bound) ? bound : null;
    }

    private void AddBound(List<LogEventProperty> properties, string name, object? value)
    {
        if (Bind(name, value) is { } property) properties.Add(property);
    }

    // Only the usual methods are kept: a client may send any token as its method.
    private static LogEventProperty MethodProperty(string method) =>
        MethodProperties.TryGetValue(method, out var known) ? known : new LogEventProperty("RequestMethod", new ScalarValue(method));

    private static LogEventProperty StatusProperty(int status)
    {
        if ((uint)status >= (uint)StatusProperties.Length) return new LogEventProperty("StatusCode", new ScalarValue(status));
        // A race makes two equal properties, one of which is kept: harmless.
        return StatusProperties[status] ??= new LogEventProperty("StatusCode", new ScalarValue(status));
    }

    /// <summary>
    /// The path as Serilog.AspNetCore logged it: the request feature's (decoded, without the query), else the request's; but
    /// with control characters and line separators percent-encoded again. Decoded, a path's %0A had started a line of its
    /// own in the text log, which anyone, without a key, could write to look like the service's ("[14:31:00 ERR] ..."),
    /// and %1B reached an operator's terminal as an escape sequence.
    /// </summary>
    internal static string RequestPath(HttpContext http)
    {
        var path = http.Features.Get<IHttpRequestFeature>()?.Path;
        path = string.IsNullOrEmpty(path) ? http.Request.Path.ToString() : path;
        return path.AsSpan().IndexOfAny(Unprintable) < 0 ? path : Escape(path);
    }

    // C0 and C1 controls (U+009B starts an escape sequence in some terminals), line separators, the marks and overrides
    // that reorder text on screen (U+202E), and '%' itself, so that a path's own "%0A" is told from an escaped line break.
    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c),
            '\u200E', '\u200F', '\u2028', '\u2029', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '%']);

    private static string Escape(string path)
    {
        var escaped = new System.Text.StringBuilder(path.Length + 16);
        foreach (var ch in path)
        {
            if (!Unprintable.Contains(ch)) { escaped.Append(ch); continue; }
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(ch.ToString())) escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return escaped.ToString();
    }
}

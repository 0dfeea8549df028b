using System.Diagnostics;
using Serilog.Events;

namespace LstmService.Infrastructure;

/// <summary>
/// What one request's log event says, gathered once by <see cref="RequestLoggingMiddleware"/> for whichever writes it: the
/// Serilog pipeline, or <see cref="RequestLineWriter"/> straight to the console.
/// </summary>
/// <param name="Timestamp">When the event happened (when the response was complete).</param>
/// <param name="Level">Information, or Error for a 5xx or an exception.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Path">The path as Serilog.AspNetCore logged it (decoded, without the query).</param>
/// <param name="StatusCode">The response's status.</param>
/// <param name="ElapsedMilliseconds">Milliseconds from the middleware's start to the response.</param>
/// <param name="HandlerProperties">What the request's handlers set (<see cref="RequestLog.Set"/>), in the order first set.</param>
/// <param name="Endpoint">The matched endpoint, if any (its route pattern is the Endpoint property).</param>
/// <param name="Model">The model the route names, if any.</param>
/// <param name="Query">The query string, if the request has one.</param>
/// <param name="ClientAddress">The client's address (behind a trusted proxy, the one it forwards; else the peer's), if known.</param>
/// <param name="TraceId">The current activity's trace id (default without one).</param>
/// <param name="SpanId">The current activity's span id (default without one).</param>
internal readonly record struct RequestLogEntry(
    DateTimeOffset Timestamp, LogEventLevel Level, string Method, string Path, int StatusCode, double ElapsedMilliseconds,
    IReadOnlyList<KeyValuePair<string, object?>> HandlerProperties, RouteEndpoint? Endpoint, string? Model, string? Query,
    ActivityTraceId TraceId = default, ActivitySpanId SpanId = default, string? ClientAddress = null);

using Microsoft.AspNetCore.Diagnostics;

namespace LstmService.Infrastructure;

/// <summary>
/// A request whose body was still arriving when the host began to stop: Kestrel's shutdown cancels the pending read, which
/// the JSON reader threw as a cancellation and the client got a bare 500 and the log a stack trace. It answers 503 with
/// Retry-After and closes the connection, so the client sends it again (to another replica, or to this one restarted).
/// </summary>
internal sealed class StoppingExceptionHandler(IProblemDetailsService problems, IHostApplicationLifetime lifetime, ILogger<StoppingExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The client's own going away is BadRequestExceptionHandler's (nobody to answer).
        if (exception is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested || httpContext.RequestAborted.IsCancellationRequested)
            return false;
        logger.LogInformation("{Method} {Path}: the service began to stop while the request was read; answered 503", httpContext.Request.Method, httpContext.Request.Path);
        Answered.TryAdd(httpContext.TraceIdentifier, 0);
        httpContext.Response.Headers.Connection = "close";
        return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, "Service stopping",
            "The service began to stop while this request arrived, so it was not handled. Send it again.", retryAfterSeconds: 1);
    }

    // The requests answered here (Kestrel's request ids), until Kestrel's drain of each has been logged; a few per stop.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Answered = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="e"/> is Kestrel's error that draining the rest of such a request's body failed: the read the
    /// stop cancelled left the body's reader mid-read, and the answer was this handler's deliberate 503, so the error (with
    /// its stack trace) reports nothing wrong. Kestrel's same error for any other request is still logged.
    /// </summary>
    public static bool IsDrainOfAnsweredRequest(Serilog.Events.LogEvent e) =>
        e.Properties.TryGetValue("EventId", out var id) && id is Serilog.Events.StructureValue eventId
        && eventId.Properties.Any(p => p.Name == "Name" && p.Value is Serilog.Events.ScalarValue { Value: "RequestBodyDrainBodyReaderInvalidState" })
        && e.Properties.TryGetValue("TraceIdentifier", out var request) && request is Serilog.Events.ScalarValue { Value: string trace }
        && Answered.TryRemove(trace, out _);
}

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
        httpContext.Response.Headers.Connection = "close";
        return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, "Service stopping",
            "The service began to stop while this request arrived, so it was not handled. Send it again.", retryAfterSeconds: 1);
    }
}

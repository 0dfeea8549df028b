using Microsoft.AspNetCore.Diagnostics;

namespace LstmService.Infrastructure;

/// <summary>
/// A request whose write found the storage full (<see cref="StorageFullErrors"/>) answers 507 Insufficient Storage, and one
/// the storage refused (read-only, not writable: <see cref="StorageUnwritableErrors"/>) 503 with Retry-After, each saying so
/// without the server's paths, where both had been a bare 500; the operator's log gets the error itself. A data directory
/// replaced under the service (<see cref="DataDirectoryReplacedException"/>) answers 503 asking for a restart, reads too.
/// </summary>
internal sealed class StorageFullExceptionHandler(IProblemDetailsService problems, ILogger<StorageFullExceptionHandler> logger, ServiceMetrics? metrics = null) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFullErrors.Is(exception))
        {
            metrics?.StorageFull.WithLabels("request").Inc();
            logger.LogError("{Method} {Path}: the storage is full: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, StatusCodes.Status507InsufficientStorage, "Storage full", StorageFullErrors.Message);
        }
        if (DataDirectoryReplacedException.IsIn(exception))
        {
            // Not counted as a refused write: reads meet it too, and liveness already fails, asking for the restart.
            logger.LogError("{Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, "Storage replaced", DataDirectoryReplacedException.ClientMessage, retryAfterSeconds: 10);
        }
        if (!StorageUnwritableErrors.Is(exception)) return false;
        metrics?.StorageFull.WithLabels("unwritable").Inc();
        logger.LogError("{Method} {Path}: the storage refused the write: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, "Storage not writable", StorageUnwritableErrors.Message, retryAfterSeconds: 10);
    }
}

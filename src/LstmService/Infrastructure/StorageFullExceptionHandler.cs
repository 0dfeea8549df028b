using Microsoft.AspNetCore.Diagnostics;

namespace LstmService.Infrastructure;

/// <summary>
/// A request whose write found the storage full (<see cref="StorageFullErrors"/>) answers 507 Insufficient Storage, saying
/// so without the server's paths, where it had been a bare 500; the operator's log gets the error itself.
/// </summary>
internal sealed class StorageFullExceptionHandler(IProblemDetailsService problems, ILogger<StorageFullExceptionHandler> logger, ServiceMetrics? metrics = null) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StorageFullErrors.Is(exception)) return false;
        metrics?.StorageFull.WithLabels("request").Inc();
        logger.LogError("{Method} {Path}: the storage is full: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, StatusCodes.Status507InsufficientStorage, "Storage full", StorageFullErrors.Message);
    }
}

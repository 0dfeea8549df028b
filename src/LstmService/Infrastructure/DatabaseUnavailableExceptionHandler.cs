using Microsoft.AspNetCore.Diagnostics;

namespace LstmService.Infrastructure;

/// <summary>
/// A request that failed because the registry's database could not be reached (a restart, a failover, a dropped connection:
/// <see cref="TransientDatabaseErrors"/>) answers 503 with Retry-After, which clients and load balancers retry, instead of
/// a 500 that reads as a bug. A training submit answers 202 once its job's row is in (what follows it may fail quietly),
/// so a client that retries a 503 does not queue the job twice.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientDatabaseErrors.Is(exception)) return false;
        logger.LogWarning("{Method} {Path}: the database is out of reach: {Error}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        return await RetryLaterProblem.WriteAsync(problems, httpContext, exception, "Database unavailable",
            "The service's database could not be reached just now. Retry shortly.", retryAfterSeconds: 2);
    }
}

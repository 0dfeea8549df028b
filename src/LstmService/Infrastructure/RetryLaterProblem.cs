using Microsoft.AspNetCore.Mvc;

namespace LstmService.Infrastructure;

/// <summary>The 503 ProblemDetails with Retry-After that an exception handler answers for a failure that passes (an outage, a stop).</summary>
internal static class RetryLaterProblem
{
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, Exception exception, string title, string detail, int retryAfterSeconds)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = title, Detail = detail },
        });
    }
}

using Microsoft.AspNetCore.Mvc;

namespace LstmService.Infrastructure;

/// <summary>The ProblemDetails an exception handler answers in place of a 500: the 503 with Retry-After of a failure that passes (an outage, a stop), or another status.</summary>
internal static class RetryLaterProblem
{
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, Exception exception, string title, string detail, int retryAfterSeconds)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(problems, httpContext, exception, StatusCodes.Status503ServiceUnavailable, title, detail);
    }

    /// <summary>Sets <paramref name="status"/> and writes its ProblemDetails, the exception kept for diagnostics.</summary>
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, Exception exception, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

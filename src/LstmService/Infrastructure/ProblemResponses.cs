namespace LstmService.Infrastructure;

public static class ProblemResponses
{
    /// <summary>
    /// Sets the status code and writes a ProblemDetails body (title from the status when none is given): for answers
    /// written outside an endpoint, by middleware, authentication, rate limiting or the status-code pages.
    /// </summary>
    public static async Task WriteProblemAsync(this HttpContext http, int status, string? title, string? detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Sets 400 and writes a validation ProblemDetails whose <c>errors</c> name the fields, outside an endpoint.</summary>
    public static async Task WriteValidationProblemAsync(this HttpContext http, IDictionary<string, string[]> errors)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest },
        });
    }
}

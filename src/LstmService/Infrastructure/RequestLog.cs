namespace LstmService.Infrastructure;

/// <summary>
/// The one log event each request writes (<see cref="RequestLoggingMiddleware"/>): method, path, status, elapsed time, the
/// endpoint's route, the model the route names, and what a handler adds with <see cref="Set"/> (the version served, the series count).
/// </summary>
public static class RequestLog
{
    public const string Template = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.000} ms";

    /// <summary>Adds a property to the current request's log event (nothing outside <see cref="RequestLoggingMiddleware"/>).</summary>
    public static void Set(HttpContext http, string name, object? value) => http.Features.Get<RequestLogFeature>()?.Set(name, value);

    /// <summary>
    /// Marks the answer as a limit's refusal (503 with Retry-After: too many heavy requests, too many progress streams): the
    /// service doing as configured, logged as a warning, where a 503 is otherwise an error.
    /// </summary>
    public static void MarkBackpressure(HttpContext http)
    {
        if (http.Features.Get<RequestLogFeature>() is { } feature) feature.Backpressure = true;
    }
}

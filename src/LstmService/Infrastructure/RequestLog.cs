using Serilog;

namespace LstmService.Infrastructure;

/// <summary>
/// The one log event each request writes (Serilog's request logging): method, path, status, elapsed time, the endpoint's
/// route, the model the route names, and what a handler adds with <see cref="Set"/> (the version served, the series count).
/// </summary>
public static class RequestLog
{
    public const string Template = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.000} ms";

    /// <summary>Adds a property to the current request's log event.</summary>
    public static void Set(HttpContext http, string name, object? value) =>
        http.RequestServices.GetService<IDiagnosticContext>()?.Set(name, value);

    internal static void Enrich(IDiagnosticContext diagnostics, HttpContext http)
    {
        if (http.GetEndpoint() is RouteEndpoint endpoint) diagnostics.Set("Endpoint", endpoint.RoutePattern.RawText);
        // Every model route names its model "name" (/models/{name}/...).
        if (http.GetRouteValue("name") is string model) diagnostics.Set("Model", model);
        if (http.Request.QueryString.HasValue) diagnostics.Set("RequestQuery", http.Request.QueryString.Value);
    }
}

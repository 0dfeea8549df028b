using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace LstmService.Infrastructure;

/// <summary>
/// ProblemDetails for answers no handler wrote: routing found no endpoint for the path (404), none for the method (405),
/// none for the body's content type (415), or the method is none the service knows (501). Each says what was asked and what the path takes, found from the endpoints
/// whose route template matches the path.
/// </summary>
public sealed class UnmatchedRequestProblems(EndpointDataSource endpoints)
{
    private readonly Lazy<(TemplateMatcher Matcher, Endpoint Endpoint)[]> _routes = new(() => endpoints.Endpoints
        .OfType<RouteEndpoint>()
        .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), (Endpoint)e))
        .ToArray());

    /// <summary>The request methods the service recognises; any other is answered 501 before it reaches the metrics.</summary>
    public static readonly string[] StandardMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>
    /// Answers 501 (RFC 9110: a method the server does not recognise) to any other method, with no endpoint run: the HTTP
    /// metrics label requests by method, and 20,000 made-up method names had added 420,000 series to /metrics (47 MB).
    /// </summary>
    public static Task RefuseUnknownMethods(HttpContext context, Func<Task> next)
    {
        if (Array.IndexOf(StandardMethods, context.Request.Method) >= 0) return next();
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }

    /// <summary>Writes the status code's ProblemDetails (UseStatusCodePages runs this only for answers without a body).</summary>
    public Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        return http.WriteProblemAsync(status, null, Describe(http.Request, status));
    }

    internal string? Describe(HttpRequest request, int status)
    {
        var asked = $"{request.Method} {request.Path}";
        switch (status)
        {
            case StatusCodes.Status404NotFound:
                return $"No endpoint matches {asked}. The API is listed at /swagger and /openapi/v1.json.";
            case StatusCodes.Status405MethodNotAllowed:
                var methods = Matching(request.Path).SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Distinct().ToArray();
                return $"{request.Path} takes {string.Join(", ", methods)}; not {request.Method}.";
            case StatusCodes.Status415UnsupportedMediaType:
                var types = Matching(request.Path)
                    .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) != false)
                    .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? []).Distinct().ToArray();
                var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type {request.ContentType}";
                return types.Length == 0
                    ? $"{asked} does not take a body of {sent}."
                    : $"{asked} takes a body of type {string.Join(" or ", types)}; the request has {sent}.";
            case StatusCodes.Status501NotImplemented:
                return $"The service answers {string.Join(", ", StandardMethods)}; not {request.Method}.";
            default:
                return null;
        }
    }

    private IEnumerable<Endpoint> Matching(PathString path) =>
        _routes.Value.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).Select(r => r.Endpoint);
}

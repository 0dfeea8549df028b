using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace LstmService.Infrastructure;

/// <summary>
/// ProblemDetails for answers no handler wrote: routing found no endpoint for the path (404), none for the method (405),
/// none for the body's content type (415), or the method is none the service knows (501). Each says what was asked and what the path takes, found from the endpoints
/// whose route template matches the path. A path that matches a route but for a value its constraint refuses
/// (<c>/models/m/versions/latest</c>, <c>/training-jobs/42</c>) is a 400 naming that route value instead.
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
        // Routing's refusals (no endpoint for the method or content type) come before the key is checked.
        ApiKeyAuthenticationHandler.NameInLog(http);
        if (status == StatusCodes.Status404NotFound && RefusedRouteValues(http.Request) is { Count: > 0 } errors)
            return http.WriteValidationProblemAsync(errors);
        return http.WriteProblemAsync(status, null, Describe(http.Request, status));
    }

    /// <summary>
    /// The route values that kept an endpoint taking this method from matching the path, each with what it must be; none
    /// when no such endpoint's template matches the path apart from its constraints.
    /// </summary>
    internal Dictionary<string, string[]>? RefusedRouteValues(HttpRequest request)
    {
        foreach (var (matcher, endpoint) in _routes.Value)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is not null && !methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)) continue;
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch(request.Path, values)) continue;
            var errors = new Dictionary<string, string[]>();
            foreach (var (name, policies) in ((RouteEndpoint)endpoint).RoutePattern.ParameterPolicies)
            {
                var value = values[name] as string ?? "";
                foreach (var policy in policies)
                {
                    if (ConstraintRule(policy.Content, value) is { } rule) errors[name] = [rule];
                }
            }
            if (errors.Count > 0) return errors;
        }
        return null;
    }

    /// <summary>What a value refused by the route constraint named <paramref name="constraint"/> must be; null when it passes.</summary>
    private static string? ConstraintRule(string? constraint, string value) => constraint switch
    {
        "int" when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => VersionRule(value),
        "min(1)" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number < 1 => VersionRule(value),
        "guid" when !Guid.TryParse(value, out _) =>
            $"Must be a job id, a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301, not '{value}'.",
        _ => null,
    };

    /// <summary>What a version number must be, for a route's {version} and a ?version alike.</summary>
    public static string VersionRule(string value) => $"Must be a version number, a whole number from 1 to {int.MaxValue}, not '{value}'.";

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
                var types = AcceptedTypes(request);
                var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type {request.ContentType}";
                return types.Length == 0
                    ? $"{asked} does not take a body of {sent}."
                    : $"{asked} takes a body of type {string.Join(" or ", types)}; the request has {sent}.";
            case StatusCodes.Status501NotImplemented:
                return $"{request.Method} is no method this service recognises; it knows {string.Join(", ", StandardMethods)} (each path takes those its endpoints do).";
            default:
                return null;
        }
    }

    /// <summary>The body types the endpoints of the request's path and method take (several endpoints may share them).</summary>
    internal string[] AcceptedTypes(HttpRequest request) => Matching(request.Path)
        .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) != false)
        .SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? []).Distinct().ToArray();

    private IEnumerable<Endpoint> Matching(PathString path) =>
        _routes.Value.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).Select(r => r.Endpoint);
}

using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses a query parameter the endpoint does not take, naming it and those it does, as an unknown field of a body is
/// refused: <c>POST /models/m/forecast?horizon=3</c> had answered the whole horizon, the 3 silently ignored. The names an
/// endpoint takes are its handler's parameters bound from the query (a route value is not one), found once per endpoint.
/// Endpoints that are no minimal API handler (Swagger UI, the metrics) and those marked <see cref="AllowAnyQueryParameters{TBuilder}"/>
/// (probes, the dashboard's files, the v2 protocol's, whose clients follow another specification) are left alone.
/// </summary>
public static class QueryParameterCheck
{
    /// <summary>Marks an endpoint whose query this check leaves alone.</summary>
    private sealed class AnyQueryParameters;

    /// <summary>Leaves the query of the endpoints built by <paramref name="builder"/> unchecked.</summary>
    public static TBuilder AllowAnyQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnyQueryParameters());

    private static readonly ConcurrentDictionary<RouteEndpoint, FrozenSet<string>?> Taken = new();

    private static readonly Type[] NotFromQuery =
        [typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(CancellationToken), typeof(System.Security.Claims.ClaimsPrincipal), typeof(Stream)];

    /// <summary>Whether an endpoint with this metadata has its query checked (for the OpenAPI document's 400).</summary>
    public static bool Checks(IEnumerable<object> metadata) => !metadata.OfType<AnyQueryParameters>().Any();

    public static Task Refuse(HttpContext context, Func<Task> next)
    {
        var query = context.Request.Query;
        if (query.Count == 0 || context.GetEndpoint() is not RouteEndpoint endpoint) return next();
        var taken = Taken.GetOrAdd(endpoint, QueryNames);
        if (taken is null) return next();
        List<string>? unknown = null; // allocated only for a request to refuse (a forecast's ?version passes without)
        foreach (var key in query.Keys)
            if (!taken.Contains(key)) (unknown ??= []).Add(key);
        if (unknown is null) return next();
        var takes = taken.Count == 0 ? "it takes no query parameters" : $"it takes {string.Join(", ", taken.Order(StringComparer.Ordinal).Select(n => $"?{n}"))}";
        // Keys go in headers: a client that put one in the URL is told where (its value is kept out of the log, LoggedQuery).
        // Keyed by the name as sent (a nameless "?=1" by "query", which a parameter named so would share: named once).
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        // A group's own route ends in the slash MapGroup leaves ("/models/"), which the client did not write.
        var route = endpoint.RoutePattern.RawText is { Length: > 1 } raw ? raw.TrimEnd('/') : endpoint.RoutePattern.RawText;
        foreach (var name in unknown)
            errors.TryAdd(name.Length == 0 ? "query" : name, [$"Unknown query parameter: {context.Request.Method} {route} does not read it ({takes}); " +
                (LoggedQuery.IsSecretName(name) ? "an API key goes in the X-Api-Key or Authorization: Bearer header." : "a body's fields go in the body.")]);
        return context.WriteValidationProblemAsync(errors);
    }

    /// <summary>The query parameters <paramref name="endpoint"/>'s handler reads; null for an endpoint this check leaves alone.</summary>
    private static FrozenSet<string>? QueryNames(RouteEndpoint endpoint)
    {
        if (!Checks(endpoint.Metadata)) return null;
        var parameters = endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>();
        if (parameters.Count == 0) return null; // not a minimal API handler
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameters)
        {
            var info = parameter.ParameterInfo;
            if (info.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery) { names.Add(fromQuery.Name ?? parameter.Name); continue; }
            if (info.GetCustomAttributes().Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromHeaderMetadata or IFromFormMetadata)) continue;
            var type = Nullable.GetUnderlyingType(info.ParameterType) ?? info.ParameterType;
            if (NotFromQuery.Any(t => t.IsAssignableFrom(type)) || routeNames.Contains(parameter.Name)) continue;
            // A value parsed from text (a number, a name, a GUID, an enum) binds from the route or the query; anything else is a body or a service.
            if (parameter.HasTryParse || type == typeof(string) || type.IsEnum || (type.IsArray && type.GetElementType() == typeof(string)))
                names.Add(parameter.Name);
        }
        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}

using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace LstmService.Infrastructure;

/// <summary>
/// Gives every GET endpoint a HEAD twin (RFC 9110 9.3.2: a server that answers GET answers HEAD too), with the same route,
/// handler, authorization and limits; Kestrel sends its status and headers without the body. Routing runs before any
/// middleware could read HEAD as GET, so the twins are endpoints; they are left out of the OpenAPI document, which would
/// otherwise list every GET operation twice. A path that maps HEAD itself (the health probes) keeps its own.
/// </summary>
public sealed class HeadEndpointDataSource(EndpointDataSource inner, IReadOnlySet<string?> ownHead) : EndpointDataSource
{
    private static readonly HttpMethodMetadata HeadOnly = new([HttpMethods.Head]);
    private sealed record Snapshot(IReadOnlyList<Endpoint> From, IReadOnlyList<Endpoint> With);

    // Replaced whole, so a reader on another thread sees one snapshot or the other, never half of each.
    private volatile Snapshot? _cache;

    /// <summary>Wraps each of <paramref name="app"/>'s endpoint sources; call it after every endpoint is mapped.</summary>
    public static void Install(IEndpointRouteBuilder app)
    {
        var sources = app.DataSources.ToList();
        // A path with its own HEAD endpoint, in whichever source, gets no twin: two HEAD endpoints would be ambiguous.
        var ownHead = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => Methods(e) is { } m && m.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            .Select(e => e.RoutePattern.RawText).ToHashSet<string?>(StringComparer.OrdinalIgnoreCase);
        app.DataSources.Clear();
        foreach (var source in sources) app.DataSources.Add(new HeadEndpointDataSource(source, ownHead));
    }

    public override IReadOnlyList<Endpoint> Endpoints
    {
        get
        {
            var from = inner.Endpoints;
            if (_cache is { } cache && ReferenceEquals(cache.From, from)) return cache.With;
            var with = from.Concat(from.OfType<RouteEndpoint>().Where(NeedsTwin).Select(Twin)).ToList();
            _cache = new Snapshot(from, with);
            return with;
        }
    }

    public override IChangeToken GetChangeToken() => inner.GetChangeToken();

    private static IReadOnlyList<string>? Methods(Endpoint e) => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;

    private bool NeedsTwin(RouteEndpoint e) =>
        Methods(e) is { } m && m.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) && !ownHead.Contains(e.RoutePattern.RawText);

    /// <summary>
    /// The same endpoint for HEAD alone (the last method metadata is the one routing reads), not described, without the
    /// GET's name (names are unique) and never chosen to generate a link.
    /// </summary>
    private static RouteEndpoint Twin(RouteEndpoint e) =>
        new(e.RequestDelegate!, e.RoutePattern, e.Order,
            new EndpointMetadataCollection([.. e.Metadata.Where(m => m is not (IEndpointNameMetadata or IRouteNameMetadata)),
                HeadOnly, new ExcludeFromDescriptionAttribute(), NoLinks.Instance]),
            $"HEAD twin of {e.DisplayName}");

    private sealed class NoLinks : ISuppressLinkGenerationMetadata
    {
        public static readonly NoLinks Instance = new();
        public bool SuppressLinkGeneration => true;
    }
}

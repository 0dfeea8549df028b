using System.Reflection;
using LstmService.Infrastructure;
using Microsoft.Extensions.FileProviders;

namespace LstmService.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one HTML page, its script and stylesheet, embedded in the assembly (no build step, nothing
/// to copy next to the binaries). The files are open without a key: they hold no data; the page asks for a key when the
/// API answers 401 and sends it as X-Api-Key on every call.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly ManifestEmbeddedFileProvider Files = new(typeof(DashboardEndpoints).Assembly, "Dashboard/wwwroot");

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html")).ExcludeFromDescription().AllowAnonymous().AllowAnyQueryParameters();
        // A file's query (a cache-busting ?v=2) is no request to the API.
        app.MapGet("/dashboard/{file}", (string file) => Serve(file)).ExcludeFromDescription().AllowAnonymous().AllowAnyQueryParameters();
        // The folder its files are served from is where a newcomer looks for it (a QA pass had a 404 there): sent to the page,
        // under the path base a proxy gives ("~/").
        app.MapGet("/dashboard", () => TypedResults.LocalRedirect("~/")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static IResult Serve(string file)
    {
        var info = Files.GetFileInfo(file);
        if (!info.Exists || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType)) return TypedResults.NotFound();
        // no-cache: the page changes with the service's version, and revalidating an embedded file costs nothing.
        return TypedResults.Stream(info.CreateReadStream(), contentType, lastModified: info.LastModified,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.LastModified.ToUnixTimeSeconds()}\""));
    }
}

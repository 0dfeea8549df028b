using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses state-changing requests (POST, PUT, PATCH, DELETE) that a browser sent from another site's page. A plain HTML
/// form may post multipart/form-data, or a bodiless POST such as a cancel, to any address without a CORS preflight, so
/// without keys any web page could queue or cancel jobs on a service it can reach (a local one, say). Browsers name the
/// page's origin in Origin (and Sec-Fetch-Site); a request from another origin than the service's own host, or from one
/// listed in Auth:AllowedOrigins, answers 403. Clients that are not browsers send neither header and are not affected.
/// </summary>
public sealed class CrossSiteRequestMiddleware(RequestDelegate next, IOptions<AuthOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || Refusal(request) is not { } reason)
        {
            await next(context);
            return;
        }
        await context.WriteProblemAsync(StatusCodes.Status403Forbidden, "Cross-site request refused",
            $"{reason} Pages of other sites may not change this service's state; list a trusted front end's origin in {AuthOptions.Section}:AllowedOrigins.");
    }

    /// <summary>Why the request counts as cross-site, or null.</summary>
    private string? Refusal(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (_allowed.Contains(origin)) return null;
            // Same origin: the page came from this very host (Swagger UI). The scheme is not compared: behind a TLS-terminating
            // proxy the service sees http while the page was https.
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && SameHost(uri, request.Host))
                return null;
            return $"The request came from a page at {origin}, not from this service ({request.Host.Value}).";
        }
        // Without Origin (older browsers on some requests), the fetch metadata still tells a cross-site request apart.
        return request.Headers["Sec-Fetch-Site"].ToString() == "cross-site" ? "The browser marked the request cross-site (Sec-Fetch-Site)." : null;
    }

    /// <summary>
    /// Whether the page's origin is this host: the same name, and the same port, a default port matching a Host without one
    /// or with 80 or 443 (a proxy may forward <c>$host:$server_port</c>: "api.example.com:443" from https://api.example.com
    /// had been refused), the scheme not compared.
    /// </summary>
    internal static bool SameHost(Uri origin, HostString host)
    {
        if (!string.Equals(origin.Host, host.Host, StringComparison.OrdinalIgnoreCase)) return false;
        return host.Port is not { } port ? origin.IsDefaultPort : port == origin.Port || origin.IsDefaultPort && port is 80 or 443;
    }

    /// <summary>scheme://host[:port] and nothing more.</summary>
    internal static bool IsOrigin(string? value) =>
        Uri.TryCreate(value?.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.PathAndQuery == "/" && string.IsNullOrEmpty(uri.UserInfo) && value!.TrimEnd('/').Length == uri.GetLeftPart(UriPartial.Authority).Length;
}

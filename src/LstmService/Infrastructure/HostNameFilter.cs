using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace LstmService.Infrastructure;

/// <summary>
/// <c>AllowedHosts</c>, checked inside the service's pipeline: a request for another host name answers 400 ProblemDetails
/// naming its Host header, and is logged like any request. ASP.NET Core's own host filtering, which this switches off, runs
/// before every middleware and answers an HTML page nobody logs. The health probes (/health and the v2 protocol's /v2/health) and /metrics answer any host: a kubelet
/// probes by the pod's IP and Prometheus scrapes by it, and neither endpoint changes or reveals a model (they need no key either).
/// </summary>
public sealed class HostNameFilter
{
    private readonly RequestDelegate _next;
    private readonly StringSegment[]? _allowed;

    public HostNameFilter(RequestDelegate next, IConfiguration configuration)
    {
        _next = next;
        // Read once at start: the names are not echoed to a client (they may be internal), and a change needs a restart.
        var hosts = (configuration[Key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Absent or "*": every host, as ASP.NET Core's host filtering reads the setting (set to nothing, the start is refused).
        _allowed = hosts.Length == 0 || hosts.Contains("*") ? null : [.. hosts.Select(h => new StringSegment(h))];
    }

    public const string Key = "AllowedHosts";

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        // A request without a Host (HTTP/1.0) passes, as ASP.NET Core's AllowEmptyHosts lets it.
        if (_allowed is null || !host.HasValue || HostString.MatchesAny(new StringSegment(host.Host), _allowed) || AnyHost(context.Request.Path))
            return _next(context);
        RequestLog.Set(context, "Host", host.Value); // the request's log event names the refused name
        return context.WriteProblemAsync(StatusCodes.Status400BadRequest, "Host not allowed",
            $"The Host header '{host.Value}' is none of the host names this service answers to (the setting {Key}).");
    }

    // The v2 protocol's probes are KServe's, made by the pod's IP as the kubelet's are.
    private static bool AnyHost(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/v2/health");

    /// <summary>
    /// Switches ASP.NET Core's host filtering off (it would answer first, in HTML) and checks AllowedHosts in this middleware
    /// instead. A setting present but naming no host (<c>AllowedHosts=</c>, an unset variable in a manifest) refuses the
    /// start: read as "*", it had opened the service to every host name without a word, which is what the setting guards;
    /// so does an entry that is no host name (<see cref="AllowedHostsValidator"/>).
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        // After the web host's own PostConfigure, which fills AllowedHosts from the setting when it is empty.
        services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
        services.AddSingleton<IValidateOptions<HostFilteringOptions>, AllowedHostsValidator>();
        services.AddOptions<HostFilteringOptions>().ValidateOnStart();
    }
}

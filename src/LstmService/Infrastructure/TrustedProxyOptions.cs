namespace LstmService.Infrastructure;

/// <summary>
/// The reverse proxies (an ingress, a load balancer) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the service
/// believes. Section "TrustedProxies". None by default: behind a proxy the service then sees the proxy's address for every
/// client, so without API keys all of them share one rate-limit partition, and the request log names the proxy.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "TrustedProxies";

    /// <summary>The proxies' own addresses (10.0.0.7, ::1).</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>Networks whose every address is a trusted proxy, in CIDR form (10.0.0.0/8, fd00::/8): a Kubernetes ingress's pods.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>Whether any proxy is trusted: the forwarded headers are read only then.</summary>
    public bool Any => Addresses.Count > 0 || Networks.Count > 0;
}

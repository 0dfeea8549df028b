using System.Net;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Checks each trusted proxy's address and network at start, naming the entry that does not parse, and refuses ASP.NET Core's
/// own switch for forwarded headers (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>): it reads <c>X-Forwarded-For</c> from any
/// client, so a made-up address each time had given every request a fresh rate-limit quota (a QA pass), where the service
/// reads it from the proxies named here alone.
/// </summary>
public sealed class TrustedProxyOptionsValidator(IConfiguration configuration) : IValidateOptions<TrustedProxyOptions>
{
    /// <summary>The configuration key ASP.NET Core's host reads the switch from (the environment variable less its ASPNETCORE_ prefix).</summary>
    internal const string ForwardedHeadersSwitch = "FORWARDEDHEADERS_ENABLED";

    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var failures = new List<string>();
        if (bool.TryParse(configuration[ForwardedHeadersSwitch], out var enabled) && enabled)
            failures.Add($"ASPNETCORE_{ForwardedHeadersSwitch}=true makes the service believe X-Forwarded-For from any client (each made-up address " +
                $"would get its own rate-limit quota): unset it, and name the proxies whose header counts in {TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Addresses)} " +
                $"or {TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Networks)}.");
        for (var i = 0; i < options.Addresses.Count; i++)
            if (!IPAddress.TryParse(options.Addresses[i], out _))
                failures.Add($"{TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Addresses)}:{i} must be an IP address such as 10.0.0.7 (it is '{options.Addresses[i]}').");
        for (var i = 0; i < options.Networks.Count; i++)
            if (!IPNetwork.TryParse(options.Networks[i], out _))
                failures.Add($"{TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Networks)}:{i} must be a network in CIDR form such as 10.0.0.0/8 (it is '{options.Networks[i]}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

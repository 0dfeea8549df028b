using System.Net;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>Checks each trusted proxy's address and network at start, naming the entry that does not parse.</summary>
public sealed class TrustedProxyOptionsValidator : IValidateOptions<TrustedProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Addresses.Count; i++)
            if (!IPAddress.TryParse(options.Addresses[i], out _))
                failures.Add($"{TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Addresses)}:{i} must be an IP address such as 10.0.0.7 (it is '{options.Addresses[i]}').");
        for (var i = 0; i < options.Networks.Count; i++)
            if (!IPNetwork.TryParse(options.Networks[i], out _))
                failures.Add($"{TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.Networks)}:{i} must be a network in CIDR form such as 10.0.0.0/8 (it is '{options.Networks[i]}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

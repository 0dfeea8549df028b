using System.Text.RegularExpressions;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses an <c>AllowedHosts</c> that names no host, or an entry that is no host name: a list separated by commas, a URL,
/// a port or a space had started the service, whose every request then answered 400 while readiness stayed up, so a load
/// balancer kept sending it traffic it refused. Host names are compared without the port, so none may be given.
/// </summary>
public sealed partial class AllowedHostsValidator(IConfiguration configuration) : IValidateOptions<HostFilteringOptions>
{
    public ValidateOptionsResult Validate(string? name, HostFilteringOptions options)
    {
        if (configuration[HostNameFilter.Key] is not { } value) return ValidateOptionsResult.Success;
        var hosts = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0)
            return ValidateOptionsResult.Fail($"{HostNameFilter.Key} is set but names no host name: give the host names the service answers to, separated by ';', or '*' for any.");
        var bad = hosts.Where(h => !HostPattern().IsMatch(h)).ToArray();
        return bad.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{HostNameFilter.Key} holds {string.Join(", ", bad.Select(h => $"'{h}'"))}, which is no host name: give names separated by ';' " +
                                         "(not ','), without a scheme, port or path (api.example.com; *.example.com; 127.0.0.1; [::1]), or '*' for any.");
    }

    // A name or address, a leading "*." wildcard, or an IPv6 address in brackets; letters of any script (IDN names).
    [GeneratedRegex(@"^(\*|(\*\.)?[\p{L}\p{N}_-]+(\.[\p{L}\p{N}_-]+)*\.?|\[[0-9A-Fa-f:.]+(%[\p{L}\p{N}]+)?\])$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}

using System.Globalization;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses the start when a listening address's port is not a number (<c>ASPNETCORE_HTTP_PORTS=abc</c>,
/// <c>ASPNETCORE_URLS=http://*:abc</c>, a <c>Kestrel:Endpoints:Name:Url</c>): the server read the word as no port at all and listened on port 80 without a word.
/// Runs before the server binds (the host's "starting" phase). A port past 65535 the server refuses itself.
/// </summary>
public sealed class ListeningAddressCheck(IConfiguration configuration) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var (key, variable) in new[] { ("http_ports", "ASPNETCORE_HTTP_PORTS"), ("https_ports", "ASPNETCORE_HTTPS_PORTS") })
            foreach (var port in Entries(configuration[key]))
                if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    problems.Add($"{variable} holds '{port}', which is not a port number.");
        foreach (var url in Entries(configuration["urls"]))
            if (Port(url) is { } port && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                problems.Add($"The listening address '{url}' (ASPNETCORE_URLS or --urls) has '{port}' where its port belongs.");
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { } url && Port(url) is { } port && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                problems.Add($"Kestrel:Endpoints:{endpoint.Key}:Url '{url}' has '{port}' where its port belongs.");
        return problems.Count == 0 ? Task.CompletedTask : throw new StartupRefusedException(string.Join(" ", problems));
    }

    private static IEnumerable<string> Entries(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The text after the host's last ':' in <paramref name="url"/>'s authority; null when it names no port.</summary>
    internal static string? Port(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var authority = start < 0 ? url : url[(start + 3)..];
        // A unix socket or a named pipe (http://unix:/run/lstm.sock, http://pipe:/name) has a path, not a port.
        if (authority.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || authority.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase)) return null;
        if (authority.IndexOf('/') is var slash and >= 0) authority = authority[..slash];
        // An IPv6 literal holds colons of its own: the port follows its closing bracket.
        var hostEnd = authority.StartsWith('[') ? authority.IndexOf(']') : -1;
        var colon = authority.LastIndexOf(':');
        return colon > hostEnd ? authority[(colon + 1)..] : null;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

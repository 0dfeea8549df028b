using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// On SIGTERM, keeps the server taking requests for <see cref="ShutdownOptions.DrainSeconds"/> while readiness answers 503
/// (<see cref="Draining"/>), then lets the host stop it. Without it the server stopped listening at once, and the requests
/// a load balancer still sent before it saw the pod go were refused. Runs in the host's "stopping" phase, before any
/// hosted service (the server among them) stops.
/// </summary>
public sealed class ShutdownDrain(IOptions<ShutdownOptions> options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    /// <summary>Whether the host is stopping and the service only finishes what reaches it.</summary>
    public bool Draining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var seconds = options.Value.DrainSeconds;
        if (seconds == 0) return;
        logger.LogInformation("Stopping: readiness answers 503 and requests are still served for {Seconds} s (Shutdown:DrainSeconds)", seconds);
        try { await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken); }
        catch (OperationCanceledException) { /* the shutdown timeout ran out first: stop now */ }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

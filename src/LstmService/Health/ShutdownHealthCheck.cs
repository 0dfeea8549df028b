using LstmService.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>Not ready once the host is stopping, so a load balancer stops routing here while the drain still serves.</summary>
internal sealed class ShutdownHealthCheck(ShutdownDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining
            ? HealthCheckResult.Unhealthy("Shutting down: requests that reach the service are still served (Shutdown:DrainSeconds).")
            : HealthCheckResult.Healthy("Not stopping."));
}

using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

internal sealed class RegistryHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.IsOpen ? HealthCheckResult.Healthy("Registry open.") : HealthCheckResult.Unhealthy("Registry not open yet."));
}

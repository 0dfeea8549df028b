using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LstmService.Health;

internal sealed class RegistryHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.IsOpen ? HealthCheckResult.Healthy("Registry open.") : HealthCheckResult.Unhealthy("Registry not open yet."));
}

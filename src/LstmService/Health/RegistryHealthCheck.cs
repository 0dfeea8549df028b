using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Ready once the registry is open and, on a shared database (PostgreSQL), while the database answers: a replica that cannot
/// reach it answers every request 503, so a load balancer should send them elsewhere. The embedded SQLite file is this
/// process's own, open or not.
/// </summary>
internal sealed class RegistryHealthCheck(ModelRegistry registry, IRegistryDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.IsOpen) return HealthCheckResult.Unhealthy("Registry not open yet.");
        if (!database.IsShared) return HealthCheckResult.Healthy("Registry open.");
        try
        {
            await using var connection = database.Connect();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            command.CommandTimeout = 2;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("Registry open; its database answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The registry's database does not answer.");
        }
    }
}

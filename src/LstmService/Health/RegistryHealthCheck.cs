using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Ready once the registry is open and, on a shared database (PostgreSQL), while the database answers: a replica that cannot
/// reach it answers every request 503, so a load balancer should send them elsewhere. The embedded SQLite file is this
/// process's own: ready while it is where it was opened.
/// </summary>
internal sealed class RegistryHealthCheck(ModelRegistry registry, IRegistryDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registry.IsOpen) return HealthCheckResult.Unhealthy("Registry not open yet.");
        // The data directory went away under the service (a volume unmounted): every request the registry serves answers 503.
        if (database is SqliteRegistryDatabase { GoneReason: { } gone }) return HealthCheckResult.Unhealthy(gone);
        if (!database.IsShared) return HealthCheckResult.Healthy("Registry open.");
        var readOnly = false;
        try
        {
            // Within 2 s in all: opening a connection to a host that drops packets would otherwise wait out its connect timeout
            // (15 s by default), longer than a probe waits.
            await Task.Run(() =>
            {
                using var connection = database.Connect();
                using var command = connection.CreateCommand();
                // A database that answers but takes no writes (a standby a failover reached) fails every write: said so.
                command.CommandText = "SELECT current_setting('transaction_read_only')";
                command.CommandTimeout = 2;
                readOnly = command.ExecuteScalar() as string == "on";
            }, cancellationToken).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            // Degraded, still ready: reads are served, and when a failover leaves every replica on a read-only database,
            // unready would take them all out of the balancer.
            return readOnly
                ? HealthCheckResult.Degraded("The registry's database is read-only (a standby, or a primary being demoted): reads are served, writes answer 503.")
                : HealthCheckResult.Healthy("Registry open; its database answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The registry's database does not answer.");
        }
    }
}

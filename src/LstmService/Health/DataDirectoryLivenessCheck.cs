using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Live unless the SQLite data directory this process locked was replaced under it (deleted, or restored from a copy): only a
/// restart reads what is there now, so liveness fails and an orchestrator restarts the container. Readiness alone had failed,
/// and under a single replica nothing restarted it until a person did (an operator QA pass). Replaced means another registry
/// file is at the path (a backup restored, with or without its lock file): a directory only deleted (or a volume unmounted)
/// fails readiness alone (<see cref="RegistryHealthCheck"/>), since a restart there would start an empty registry.
/// </summary>
internal sealed class DataDirectoryLivenessCheck(IRegistryDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database is SqliteRegistryDatabase sqlite && sqlite.Gone() is ({ } replaced, true)
            ? HealthCheckResult.Unhealthy(replaced)
            : HealthCheckResult.Healthy(database.IsShared ? "The registry is a shared database." : "The data directory is the one this process opened."));
}

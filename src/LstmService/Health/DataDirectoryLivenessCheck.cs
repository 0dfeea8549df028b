using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Live unless the SQLite data directory this process locked was replaced under it (deleted, or restored from a copy): only a
/// restart reads what is there now, so liveness fails and an orchestrator restarts the container. Readiness alone had failed,
/// and under a single replica nothing restarted it until a person did (an operator QA pass). Replaced means another lock file
/// is at the path: a directory only deleted (or a volume unmounted) fails readiness alone (<see cref="RegistryHealthCheck"/>),
/// since a restart there would start an empty registry, and a copy being restored may not be complete.
/// </summary>
internal sealed class DataDirectoryLivenessCheck(IRegistryDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database is SqliteRegistryDatabase { IsReplaced: true } sqlite && File.Exists(sqlite.LockPath)
            ? HealthCheckResult.Unhealthy(sqlite.GoneReason)
            : HealthCheckResult.Healthy(database.IsShared ? "The registry is a shared database." : "The data directory is the one this process opened."));
}

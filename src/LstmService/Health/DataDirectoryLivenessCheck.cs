using LstmService.Registry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Live unless the SQLite data directory this process locked was replaced under it (deleted, or restored from a copy): only a
/// restart reads what is there now, so liveness fails and an orchestrator restarts the container. Readiness alone had failed,
/// and under a single replica nothing restarted it until a person did (an operator QA pass). A directory that is merely gone
/// (a volume unmounted) may come back, so it fails readiness only (<see cref="RegistryHealthCheck"/>).
/// </summary>
internal sealed class DataDirectoryLivenessCheck(IRegistryDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database is SqliteRegistryDatabase { IsReplaced: true } sqlite
            ? HealthCheckResult.Unhealthy(sqlite.GoneReason)
            : HealthCheckResult.Healthy(database.IsShared ? "The registry is a shared database." : "The data directory is the one this process opened."));
}

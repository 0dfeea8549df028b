using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Registry;

/// <summary>
/// With a shared database (PostgreSQL): every Storage:SyncIntervalMilliseconds, drops the loaded models of versions that
/// other replicas deleted. (A new version or a moved alias needs nothing: each request resolves its version in the
/// database, so it is seen at once; and version numbers are never reused, so a cached model is never the wrong one.)
/// Idle with SQLite, where every delete goes through this process.
/// </summary>
internal sealed class RegistryCacheSync(ModelRegistry registry, IRegistryDatabase database, IOptions<StorageOptions> options,
    ILogger<RegistryCacheSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsShared) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.SyncIntervalMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!registry.IsOpen) continue;
            try
            {
                var evicted = registry.EvictDeleted();
                if (evicted > 0) logger.LogInformation("Evicted {Count} cached models deleted through another replica", evicted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Checking the model cache against the database failed");
            }
        }
    }
}

using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Registry;

/// <summary>
/// Every Storage:SyncIntervalMilliseconds: serves again the versions whose missing or altered weights were restored
/// (<see cref="ModelRegistry.RecheckUnavailable"/>), marks the loaded ones whose weights (a file or a database row) were deleted or
/// altered (<see cref="ModelRegistry.MarkLoadedWeightsGoneOrAltered"/>), and, with a shared database (PostgreSQL), drops the loaded models of
/// versions that other replicas deleted. (A new version or a moved alias needs nothing: each request resolves its version
/// in the database, so it is seen at once; and version numbers are never reused, so a cached model is never the wrong one.)
/// </summary>
internal sealed class RegistryCacheSync(ModelRegistry registry, IRegistryDatabase database, IOptions<StorageOptions> options,
    ILogger<RegistryCacheSync> logger) : BackgroundService
{
    // Whether the last check failed: a database outage is logged once, not every beat (a QA pass counted a warning with a
    // 12-line stack trace every 2 s while PostgreSQL was away).
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.SyncIntervalMilliseconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                Sync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (a failed start's too): the host logs an escaping cancellation as an error.
        }
    }

    private void Sync()
    {
        if (!registry.IsOpen) return;
        try
        {
            // Weights whose fingerprint did not change are hashed again every 15 beats (30 s by default).
            registry.RecheckUnavailable(15 * TimeSpan.FromMilliseconds(options.Value.SyncIntervalMilliseconds));
            // A file deleted or written over by hand, or a database row written over (a bad restore, damage): a loaded version
            // is served from memory, so nothing else would notice until it left the cache.
            registry.MarkLoadedWeightsGoneOrAltered();
            if (database.IsShared)
            {
                var evicted = registry.EvictDeleted();
                if (evicted > 0) logger.LogInformation("Evicted {Count} cached models deleted through another replica", evicted);
            }
            if (_failing) logger.LogInformation("Checking the model cache against the database works again");
            _failing = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (_failing) return;
            _failing = true;
            // The database's own errors say what happened in their message; anything else keeps its stack trace.
            bool database = e is System.Data.Common.DbException or TimeoutException or IOException || StorageWriteErrors.Is(e);
            logger.LogWarning(database ? null : e, "Checking the model cache against the database failed ({Error}); retried every {Interval} ms, logged again once it works",
                e.Message, options.Value.SyncIntervalMilliseconds);
        }
    }
}

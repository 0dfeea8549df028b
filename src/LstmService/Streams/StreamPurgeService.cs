using Microsoft.Extensions.Options;

namespace LstmService.Streams;

/// <summary>
/// Deletes streams idle for more than <see cref="StreamOptions.IdleDays"/> (with their anomalies) and scores older than that:
/// at start, then hourly. Any replica may sweep; the deletes are idempotent.
/// </summary>
public sealed class StreamPurgeService(StreamStore store, IOptions<StreamOptions> options, TimeProvider time, ILogger<StreamPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One sweep as of <paramref name="now"/>; returns the streams deleted.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var purged = store.PurgeIdle(now.AddDays(-options.Value.IdleDays));
        if (purged > 0)
            logger.LogInformation("Deleted {Count} streams idle for more than {Days} days (Streams:IdleDays)", purged, options.Value.IdleDays);
        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try { Sweep(time.GetUtcNow()); }
            // A busy or failing database must not stop the service: the next sweep tries again.
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Purging idle streams failed"); }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

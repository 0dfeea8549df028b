using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Streams;

/// <summary>
/// Deletes streams idle for more than <see cref="StreamOptions.IdleDays"/> (with their anomalies) and scores older than that:
/// at start, then hourly. Any replica may sweep; the deletes are idempotent.
/// </summary>
public sealed class StreamPurgeService(StreamStore store, IOptions<StreamOptions> options, TimeProvider time, ILogger<StreamPurgeService> logger)
    : HourlySweepService(time, logger)
{
    protected override string FailureMessage => "Purging idle streams failed";

    /// <summary>One sweep as of <paramref name="now"/>; returns the streams deleted.</summary>
    public override int Sweep(DateTimeOffset now)
    {
        var purged = store.PurgeIdle(now.AddDays(-options.Value.IdleDays));
        if (purged > 0)
            logger.LogInformation("Deleted {Count} streams idle for more than {Days} days (Streams:IdleDays)", purged, options.Value.IdleDays);
        return purged;
    }
}

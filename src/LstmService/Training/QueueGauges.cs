using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// The queue's gauges, read from the database before each scrape of /metrics: jobs by state, queue depth, the oldest queued
/// job's age (all replicas'), and whether the database answers and takes writes.
/// </summary>
/// <param name="read">The database reading (<see cref="TrainingJobStore.Stats"/>).</param>
/// <param name="metrics">The gauges set.</param>
public sealed class QueueGauges(Func<(IReadOnlyDictionary<TrainingJobStatus, int> ByStatus, DateTimeOffset? OldestQueued, bool ReadOnly)> read, ServiceMetrics metrics)
{
    /// <summary>Before each scrape: jobs by state, queue depth and the oldest queued job's age, from the database (all replicas').</summary>
    public void Update()
    {
        // At most 2 s: a scrape must answer within Prometheus's timeout (10 s by default) to say the database is down.
        var reading = SharedStatsReading();
        if (!((IAsyncResult)reading).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2)) || !reading.IsCompletedSuccessfully)
        {
            metrics.DatabaseUp.Set(0); // the gauges below keep their last values; this one says they are stale
            return;
        }
        metrics.DatabaseUp.Set(1);
        var (byStatus, oldest, readOnly) = reading.Result;
        metrics.DatabaseReadOnly.Set(readOnly ? 1 : 0);
        foreach (var status in Enum.GetValues<TrainingJobStatus>())
            metrics.JobsByState.WithLabels(TrainingJobStore.StatusText(status)).Set(byStatus.GetValueOrDefault(status));
        metrics.QueueDepth.Set(byStatus.GetValueOrDefault(TrainingJobStatus.Queued));
        metrics.QueueOldestAge.Set(oldest is { } t ? Math.Max(0, (DateTimeOffset.UtcNow - t).TotalSeconds) : 0);
    }

    /// <summary>
    /// The database reading under way, or a new one: scrapes that arrive while one runs share it. /metrics needs no key, and
    /// each scrape had run its own queries (a review): a flood of them now keeps one set at a time on the database.
    /// </summary>
    private Task<(IReadOnlyDictionary<TrainingJobStatus, int> ByStatus, DateTimeOffset? OldestQueued, bool ReadOnly)> SharedStatsReading()
    {
        lock (_statsLock)
        {
            if (_statsReading is { IsCompleted: false } running) return running;
            var reading = Task.Run(read);
            _ = reading.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, also when it fails late
            return _statsReading = reading;
        }
    }

    private readonly object _statsLock = new();
    private Task<(IReadOnlyDictionary<TrainingJobStatus, int> ByStatus, DateTimeOffset? OldestQueued, bool ReadOnly)>? _statsReading;
}

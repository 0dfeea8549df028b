using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>
/// Purges finished jobs' training data older than <see cref="TrainingQueueOptions.RetainJobDays"/>: at start, then hourly.
/// The series a client sent may be someone's data; the job's record (status, losses, version) is what clients still read.
/// </summary>
public sealed class TrainingDataPurgeService(TrainingJobStore store, IOptions<TrainingQueueOptions> options, TimeProvider time,
    ILogger<TrainingDataPurgeService> logger) : HourlySweepService(time, logger)
{
    protected override string FailureMessage => "Purging old training data failed";

    /// <summary>One sweep as of <paramref name="now"/>; returns the jobs purged.</summary>
    public override int Sweep(DateTimeOffset now)
    {
        var purged = store.PurgeFinishedBefore(now.AddDays(-options.Value.RetainJobDays));
        if (purged > 0)
            logger.LogInformation("Purged the training data of {Count} jobs finished more than {Days} days ago (TrainingQueue:RetainJobDays)",
                purged, options.Value.RetainJobDays);
        return purged;
    }
}

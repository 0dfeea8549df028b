using System.Diagnostics;
using LstmService.Infrastructure;
using LstmService.Registry;

namespace LstmService.Training;

// A run's writes when the database may be away: a finished training's version stored on retries, and a job the database
// failed put back in the queue (Infrastructure/TransientDatabaseErrors.cs says which errors those are).
public sealed partial class TrainingWorkerService
{
    /// <summary>
    /// Puts a job whose run the database failed (out of reach past the retries) back in the queue to run again once it
    /// answers, counting the run as an attempt, so a database that never comes back cannot have it retrained forever: at
    /// TrainingQueue:MaxAttempts the job fails saying why. If not even that can be written, the job stays running until its
    /// lease expires (PostgreSQL: another replica, or this one, takes it over) or the next start re-queues it. Returns the outcome.
    /// </summary>
    private string RequeueAfterDatabaseFailure(JobClaim claim, Exception e)
    {
        try
        {
            if (store.Get(claim.Id) is { Attempts: var attempts } && attempts >= options.Value.MaxAttempts)
            {
                store.MarkFailed(claim, $"The database was out of reach when this job's trained version was to be stored, on each of its {attempts} runs " +
                    $"(TrainingQueue:MaxAttempts is {options.Value.MaxAttempts}); submit it again once the database answers.");
                logger.LogWarning(e, "Job {JobId}: the database is out of reach; failed at TrainingQueue:MaxAttempts", claim.Id);
                return "failed";
            }
            if (store.Requeue(claim, countAttempt: true))
            {
                logger.LogWarning(e, "Job {JobId}: the database is out of reach; re-queued", claim.Id);
                return "requeued";
            }
        }
        catch (Exception again) when (TransientDatabaseErrors.Is(again)) { }
        logger.LogWarning(e, "Job {JobId}: the database is out of reach; it runs again once its lease has expired or at the next start", claim.Id);
        return "lease_lost";
    }

    /// <summary>
    /// Stores a finished training's version, completing its job in the same transaction, tried again every second while the
    /// database's errors are transient (a dropped connection, a restart) and the run still holds the job (the lease loop
    /// cancels <paramref name="token"/> once another run took it), for at most TrainingQueue:MaxJobSeconds: a database that
    /// comes back finds the training kept, not thrown away. Null when the job is no longer this run's (cancelled, taken
    /// over), unless a try whose answer was lost had stored it: then that version.
    /// </summary>
    private async Task<VersionRecord?> StoreVersionAsync(JobClaim claim, NewVersion version, int bestEpoch,
        IReadOnlyList<double> trainLosses, IReadOnlyList<double> validationLosses, CancellationToken token)
    {
        var giveUp = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = registry.AddVersion(version,
                    (c, tx, number) => TrainingJobStore.TryComplete(c, tx, claim, number, bestEpoch, trainLosses, validationLosses));
                if (stored is not null) return stored;
                // A commit whose answer the connection lost leaves the job succeeded by this run: its version is the one.
                return store.Get(claim.Id) is { Status: TrainingJobStatus.Succeeded, Version: { } number } ? registry.GetVersion(version.Model, number) : null;
            }
            catch (Exception e) when (TransientDatabaseErrors.Is(e) && giveUp.Elapsed.TotalSeconds < options.Value.MaxJobSeconds)
            {
                if (attempt == 1 || attempt % 30 == 0)
                    logger.LogWarning("Job {JobId}: storing its version failed, the database being out of reach ({Error}); trying again every second (try {Attempt})",
                        claim.Id, e.Message, attempt);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), token);
        }
    }
}

using System.Collections.Concurrent;
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
    /// TrainingQueue:MaxAttempts the job fails saying why. If not even that can be written, it is tried again in the
    /// background (<see cref="RecordEndLater"/>). Returns the outcome.
    /// </summary>
    private string RequeueAfterDatabaseFailure(JobClaim claim, Exception e, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = RequeueOrFail(claim, e);
            if (outcome == "lease_lost") logger.LogWarning(e, "Job {JobId}: the database is out of reach, and the job is no longer this run's", claim.Id);
            return outcome;
        }
        catch (Exception again) when (StorageWriteErrors.Is(again))
        {
            RecordEndLater(claim, "re-queued", _ => RequeueOrFail(claim, e) != "lease_lost", DateTimeOffset.UtcNow, again, stoppingToken);
            return "lease_lost";
        }
    }

    /// <summary>
    /// The job back in the queue, or failed at TrainingQueue:MaxAttempts, or cancelled when a cancel was asked meanwhile (the
    /// queue refuses it then); "lease_lost" when it is no longer this run's.
    /// </summary>
    private string RequeueOrFail(JobClaim claim, Exception e)
    {
        if (store.Get(claim.Id) is { Attempts: var attempts } && attempts >= options.Value.MaxAttempts)
        {
            if (!store.MarkFailed(claim, $"The database was out of reach when this job's trained version was to be stored, on each of its {attempts} runs " +
                $"(TrainingQueue:MaxAttempts is {options.Value.MaxAttempts}); submit it again once the database answers.")) return "lease_lost";
            logger.LogWarning(e, "Job {JobId}: the database is out of reach; failed at TrainingQueue:MaxAttempts", claim.Id);
            return "failed";
        }
        if (store.Requeue(claim, countAttempt: true))
        {
            logger.LogWarning(e, "Job {JobId}: the database is out of reach; re-queued", claim.Id);
            return "requeued";
        }
        return store.MarkCancelled(claim) ? "cancelled" : "lease_lost";
    }

    /// <summary>
    /// Writes a run's end now, or, when the database refuses it (full, out of reach), in the background until it lands
    /// (<see cref="RecordEndLater"/>): thrown on, the job had stayed running with nothing running it.
    /// </summary>
    private void WriteEnd(JobClaim claim, string end, Func<DateTimeOffset, bool> write, CancellationToken stoppingToken)
    {
        var at = DateTimeOffset.UtcNow;
        try { write(at); }
        catch (Exception e) when (StorageWriteErrors.Is(e))
        {
            RecordEndLater(claim, end, write, at, e, stoppingToken);
        }
    }

    /// <summary>
    /// Runs whose end <see cref="RecordEndLater"/> still has to write: their live progress (last epoch, loss curve) stays for
    /// that write, which records it with the end, where the run's own exit would otherwise drop it first.
    /// </summary>
    private readonly ConcurrentDictionary<Guid, JobClaim> _endsPending = new();

    /// <summary>How often <see cref="RecordEndLater"/> tries again.</summary>
    internal static readonly TimeSpan EndRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A run's end (failed, or back in the queue) that the database refused to record, tried again every
    /// <see cref="EndRetryInterval"/> until <paramref name="write"/> lands (false: the job is no longer this run's) or the
    /// process stops, with the time the run ended (<paramref name="at"/>) as the job's finishedAt. The job would otherwise
    /// show running with nothing running it: on SQLite until the next start (a full file the operator frees), on PostgreSQL
    /// until its lease expires and a replica takes it over. The next start still re-queues a job whose end was never written,
    /// counting the run as an attempt.
    /// </summary>
    private void RecordEndLater(JobClaim claim, string end, Func<DateTimeOffset, bool> write, DateTimeOffset at, Exception refused, CancellationToken stoppingToken)
    {
        logger.LogWarning(refused, "Job {JobId}: its end ({End}) could not be written; trying again every {Seconds} s", claim.Id, end, EndRetryInterval.TotalSeconds);
        _endsPending[claim.Id] = claim;
        _ = Task.Run(async () =>
        {
            var waited = Stopwatch.StartNew();
            bool written = false;
            try
            {
                while (true)
                {
                    await Task.Delay(EndRetryInterval, stoppingToken);
                    try { written = write(at); }
                    catch (Exception e) when (StorageWriteErrors.Is(e)) { continue; }
                    if (written) logger.LogInformation("Job {JobId}: its end ({End}) written {Seconds:F0} s after its run", claim.Id, end, waited.Elapsed.TotalSeconds);
                    else logger.LogInformation("Job {JobId}: its end ({End}) not written: the job is no longer this run's", claim.Id, end);
                    queue.Signal(claim.Id); // its progress streams end now, not at their next poll
                    return;
                }
            }
            catch (OperationCanceledException) { }
            // At shutdown the database may be disposed under the last try: the next start re-queues the job anyway.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested) { logger.LogError(e, "Job {JobId}: writing its end ({End}) failed", claim.Id, end); }
            catch (Exception) { }
            finally
            {
                _endsPending.TryRemove(new KeyValuePair<Guid, JobClaim>(claim.Id, claim));
                // A written end dropped the progress with it; unwritten, it goes unless a new run of the job took its place here.
                if (!written && !queue.IsRunning(claim.Id)) store.EndLive(claim.Id);
            }
        }, CancellationToken.None);
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
                    (c, tx, number) => TrainingJobStore.TryComplete(c, tx, claim, number, bestEpoch, trainLosses, validationLosses, store.LiveEpochs(claim.Id)));
                if (stored is not null) return stored;
                // A commit whose answer the connection lost leaves the job succeeded by this run: its version is the one.
                return store.Get(claim.Id) is { Status: TrainingJobStatus.Succeeded, Version: { } number } ? registry.GetVersion(version.Model, number) : null;
            }
            // A storage refusing writes (read-only, a permission) may be fixed within that time too, keeping the training.
            catch (Exception e) when ((TransientDatabaseErrors.Is(e) || StorageUnwritableErrors.Is(e)) && giveUp.Elapsed.TotalSeconds < options.Value.MaxJobSeconds)
            {
                // Said at once, not only when the retries end (TrainingQueue:MaxJobSeconds, an hour by default): the job had
                // shown running with no error and the storage metric had not moved while the workers behind it waited.
                if (StorageUnwritableErrors.Is(e) && store.NoteStalled(claim.Id,
                        $"Trained, but its version is not stored yet: {StorageUnwritableErrors.Message} Tried again every second since {DateTimeOffset.UtcNow:u}."))
                    metrics.StorageFull.WithLabels("unwritable").Inc();
                if (attempt == 1 || attempt % 30 == 0)
                    logger.LogWarning("Job {JobId}: storing its version failed, the storage being out of reach or not writable ({Error}); trying again every second (try {Attempt})",
                        claim.Id, e.Message, attempt);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), token);
        }
    }
}

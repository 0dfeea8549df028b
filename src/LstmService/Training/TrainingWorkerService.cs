using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>
/// Drains the training queue with <see cref="TrainingQueueOptions.Workers"/> loops. Each job trains on a dedicated
/// thread (LongRunning) so CPU-bound epochs never occupy the thread pool that serves requests. On shutdown the
/// loops stop taking jobs and a running job is cancelled and put back to queued, so it runs again after restart.
/// With no workers (an API-only node) the service still takes jobs, up to the queue's capacity, and is ready.
/// </summary>
public sealed partial class TrainingWorkerService(
    TrainingQueue queue,
    TrainingJobStore store,
    ModelRegistry registry,
    ITrainer trainer,
    IClassificationTrainer classificationTrainer,
    IRegistryDatabase database,
    ServiceMetrics metrics,
    IOptions<TrainingQueueOptions> options,
    IEnumerable<ITrainedVersionObserver> observers,
    IHostApplicationLifetime lifetime,
    ILogger<TrainingWorkerService> logger) : BackgroundService
{
    private volatile bool _running;

    /// <summary>True while the worker loops run (readiness).</summary>
    public bool IsRunning => _running;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server takes requests: a job that was running when the process stopped goes back to queued, or fails
        // once it has been running at MaxAttempts crashes.
        // On a shared database other replicas' running jobs are theirs: only those whose lease expired are taken over, and by
        // the claim loop, a lease after the start (TrainingQueue.RecoverExpiredLeases), not here.
        var (requeued, failed, cancelled) = database.IsShared ? (0, 0, 0) : store.RecoverInterrupted(options.Value.MaxAttempts);
        // A graceful stop re-queues its running job itself: one still running here was left by a process that died (a crash,
        // kill -9, the memory limit) or ran out of shutdown time, which operators should see as a warning.
        if (requeued > 0)
            logger.LogWarning("Training jobs re-queued: {Count}, left running when the service last stopped without finishing its shutdown " +
                "(a crash, kill -9, the memory limit, or Shutdown:TimeoutSeconds running out); each such stop counts against TrainingQueue:MaxAttempts", requeued);
        if (cancelled > 0)
            logger.LogWarning("Training jobs marked cancelled: {Count}, left running when the service last stopped without finishing its shutdown with a cancel pending", cancelled);
        if (failed > 0)
            logger.LogWarning("Training jobs marked failed: {Count}, running at {MaxAttempts} unexpected stops (TrainingQueue:MaxAttempts)",
                failed, options.Value.MaxAttempts);
        // Taken over from the process that died, as a replica takes over an expired lease: the counter and its alert had seen
        // a replica's death on PostgreSQL but not a single process's crash loop on SQLite (a QA pass).
        metrics.LeaseTakeovers.Inc(requeued + failed + cancelled);
        // An API-only node makes sense beside replicas that train; on SQLite, which only this process opens, nothing ever
        // would: submits had answered 202 and the jobs waited for good without a word (a QA pass).
        if (options.Value.Workers == 0 && !database.IsShared)
            logger.LogWarning("TrainingQueue:Workers is 0 on {Provider}, which only this process opens: training jobs are accepted and queued, " +
                "but none runs until the service starts with workers", database.Provider);
        metrics.OnCollect(new QueueGauges(store.Stats, metrics).Update);
        await base.StartAsync(cancellationToken);
        // ExecuteAsync runs in the background (.NET 10); the loops exist from here on, so readiness need not wait for it.
        _running = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Jobs are claimed once the server listens: a start that then fails (its port taken) must not have begun one,
        // which would count as a crash of that job at the next start.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        // Jobs persisted before this start (queued, or re-queued above) are claimed like new ones.
        var workers = Enumerable.Range(0, options.Value.Workers).Select(i => WorkerLoopAsync(i, stoppingToken)).ToList();
        logger.LogInformation("Training queue started: workers {Workers}, capacity {Capacity}", options.Value.Workers, options.Value.Capacity);
        // Readiness stays on until StopAsync: with zero workers there is nothing to wait for, and the loops end only on stop.
        await Task.WhenAll(workers);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Whether the job's record says it ended cancelled (or is gone with its model); false when it cannot be read.</summary>
    private bool EndedCancelled(Guid id)
    {
        try { return store.Get(id) is not { } record || record.Status == TrainingJobStatus.Cancelled; }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException) { return false; }
    }

    private void Ended(string outcome, Stopwatch started)
    {
        metrics.TrainingJobs.WithLabels(outcome).Inc();
        metrics.TrainingJobDuration.WithLabels(outcome).Observe(started.Elapsed.TotalSeconds);
    }

    private async Task WorkerLoopAsync(int worker, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var claim = await queue.TakeAsync(stoppingToken);
                try
                {
                    await RunJobAsync(claim, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A bug in bookkeeping must not stop the worker: log it and take the next job.
                    logger.LogError(e, "Worker {Worker} failed handling job {JobId}", worker, claim.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task RunJobAsync(JobClaim claim, CancellationToken stoppingToken)
    {
        var id = claim.Id;
        using var jobCts = new CancellationTokenSource();
        queue.RegisterRunning(id, jobCts);
        using var leaseStop = new CancellationTokenSource();
        var leaseLost = new StrongBox<bool>();
        var leaseLoop = KeepLeaseAsync(claim, jobCts, leaseLost, leaseStop.Token);
        try
        {
            var job = store.Get(id)!; // claimed (running) by TakeAsync
            // Null once the model was deleted between the claim and here (its jobs were cancelled and their data purged).
            if (store.GetSpec(id) is not { } spec) return;
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = id, ["Model"] = job.Model });
            store.StartLive(id);
            queue.Signal(id);
            // Without the per-series timing (one entry per series): a job of 1,000 series had logged a line of 294,000 characters,
            // which log shippers split or drop (a QA pass). The version's training settings keep it.
            logger.LogInformation("Job {JobId} for model {Model} started: {Series} series, {@Settings}", id, job.Model, spec.Series.Count, spec.Settings with { Timing = null });

            // The time limit is a source of its own, so its expiry can be told apart from a cancel (cancelled) and from shutdown (re-queued).
            int limit = options.Value.MaxJobSeconds;
            using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(limit));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(jobCts.Token, stoppingToken, timeLimit.Token);
            // Storing a finished training may outlast the time limit while the database is retried; a cancel or a stop still ends it.
            using var storing = CancellationTokenSource.CreateLinkedTokenSource(jobCts.Token, stoppingToken);
            var started = Stopwatch.StartNew();
            try
            {
                if (spec.Settings.Task == ModelTask.Classification)
                {
                    await RunClassificationAsync(claim, job.Model, spec, started, linked.Token, storing.Token);
                    return;
                }
                var series = spec.Series.Select(s => s.ToTrainingSeries()).ToArray();
                var progress = new TrainingProgressReporter(claim, job.Model, store, queue, logger, options.Value.ProgressWriteIntervalMilliseconds);
                var result = await Task.Factory.StartNew(
                    () => trainer.Train(series, WarmStart.Options(spec.Settings, job.Model, registry), progress.Report, linked.Token),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

                var version = await StoreVersionAsync(claim,
                    new NewVersion(job.Model, result.Model, VersionSource.Trained, id, spec.Settings, Metrics(result, spec), Fingerprint(series)),
                    result.BestEpoch, result.TrainLosses, result.ValidationLosses, storing.Token);
                await leaseStop.CancelAsync(); // the job's record is final: a renewal now would find it no longer running
                Ended(version is null ? "cancelled" : "succeeded", started);
                if (version is null)
                    logger.LogInformation("Job {JobId} for model {Model} finished training but was cancelled or taken over meanwhile; no version stored", id, job.Model);
                else
                {
                    logger.LogInformation("Job {JobId} for model {Model} succeeded: version {Version}, {Epochs} epochs (best {BestEpoch}) in {Elapsed:F1} s",
                        id, job.Model, version.Version, result.EpochsRun, result.BestEpoch, started.Elapsed.TotalSeconds);
                    Notify(id, version);
                }
            }
            catch (OperationCanceledException) when (jobCts.IsCancellationRequested && leaseLost.Value)
            {
                // Another replica took the job over (this run was too slow to renew) or it ended cancelled meanwhile: nothing to
                // write. Cancelled through another replica (a cancel, its model deleted) is an ordinary end, as it is on one
                // replica: it had been logged as a lost lease, at Warning, and counted so.
                if (EndedCancelled(id))
                {
                    Ended("cancelled", started);
                    logger.LogInformation("Job {JobId} for model {Model} cancelled after {Elapsed:F1} s (through another replica, or its model deleted)", id, job.Model, started.Elapsed.TotalSeconds);
                }
                else
                {
                    Ended("lease_lost", started);
                    logger.LogWarning("Job {JobId} for model {Model} stopped after {Elapsed:F1} s: this worker no longer holds its lease", id, job.Model, started.Elapsed.TotalSeconds);
                }
            }
            catch (OperationCanceledException) when (jobCts.IsCancellationRequested)
            {
                WriteEnd(claim, "cancelled", at => store.MarkCancelled(claim, at), stoppingToken);
                Ended("cancelled", started);
                logger.LogInformation("Job {JobId} for model {Model} cancelled after {Elapsed:F1} s", id, job.Model, started.Elapsed.TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                if (store.Requeue(claim))
                {
                    Ended("requeued", started);
                    logger.LogInformation("Job {JobId} for model {Model} interrupted by shutdown; re-queued", id, job.Model);
                }
                else if (store.MarkCancelled(claim))
                {
                    Ended("cancelled", started);
                    logger.LogInformation("Job {JobId} for model {Model} stopped by shutdown with a cancel pending; cancelled", id, job.Model);
                }
                else
                {
                    Ended("lease_lost", started);
                    logger.LogWarning("Job {JobId} for model {Model} stopped by shutdown: this worker no longer holds its lease", id, job.Model);
                }
            }
            catch (OperationCanceledException) when (timeLimit.IsCancellationRequested)
            {
                WriteEnd(claim, "failed", at => store.MarkFailed(claim, $"Training took longer than the limit of {limit} seconds (TrainingQueue:MaxJobSeconds) and was stopped.", at), stoppingToken);
                Ended("failed", started);
                logger.LogWarning("Job {JobId} for model {Model} failed: over the time limit of {Limit} s (TrainingQueue:MaxJobSeconds)", id, job.Model, limit);
            }
            catch (ArgumentException e)
            {
                // The kernel rejected the input (the validator runs the kernel's own checks at submit time, so this is rare: e.g. a job
                // stored before a rule existed, or a window chosen from the data that leaves no training window): name the field it blames.
                var field = e.ParamName is { Length: > 0 } p ? $"{p}: " : "";
                WriteEnd(claim, "failed", at => store.MarkFailed(claim, field + ClientMessages.Of(e), at), stoppingToken);
                Ended("failed", started);
                logger.LogWarning(e, "Job {JobId} for model {Model} failed: the kernel rejected its input: {Error}", id, job.Model, e.Message);
            }
            catch (Exception e) when (StorageFullErrors.Is(e))
            {
                // Before the outage's catch (PostgreSQL's disk_full is of its class): retrained at once, it would fill nothing but time.
                logger.LogError(e, "Job {JobId} for model {Model} failed: the storage is full", id, job.Model);
                metrics.StorageFull.WithLabels("training").Inc();
                // Likely refused too while the storage is full (a full SQLite file): then written once it takes it.
                WriteEnd(claim, "failed", at => store.MarkFailed(claim, StorageFullErrors.Message, at), stoppingToken);
                Ended("failed", started);
            }
            catch (Exception e) when (StorageUnwritableErrors.Is(e))
            {
                // After StoreVersionAsync's retries: the job fails saying what the operator must fix, without the server's path.
                logger.LogError(e, "Job {JobId} for model {Model} failed: the storage refused the write", id, job.Model);
                if (!store.IsStalled(id)) metrics.StorageFull.WithLabels("unwritable").Inc(); // counted at its first refused try
                WriteEnd(claim, "failed", at => store.MarkFailed(claim, StorageUnwritableErrors.Message, at), stoppingToken);
                Ended("failed", started);
            }
            catch (Exception e) when (TransientDatabaseErrors.Is(e))
            {
                Ended(RequeueAfterDatabaseFailure(claim, e, stoppingToken), started);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                WriteEnd(claim, "failed", at => store.MarkFailed(claim, e.Message, at), stoppingToken);
                Ended("failed", started);
                logger.LogWarning(e, "Job {JobId} for model {Model} failed: {Error}", id, job.Model, e.Message);
            }
        }
        catch (Exception e) when (TransientDatabaseErrors.Is(e))
        {
            // Reading the job before its training started: it goes back to the queue as when storing it failed.
            RequeueAfterDatabaseFailure(claim, e, stoppingToken);
        }
        finally
        {
            await leaseStop.CancelAsync();
            await leaseLoop;
            queue.UnregisterRunning(id);
            if (!_endsPending.ContainsKey(id)) store.EndLive(id);
            queue.Signal(id);
        }
    }

    /// <summary>
    /// Renews the job's lease every third of TrainingQueue:LeaseSeconds (at most every 2 s, so a cancel asked through another
    /// replica arrives within that); stops the run when the job is no longer its own or a cancel was asked.
    /// </summary>
    private async Task KeepLeaseAsync(JobClaim claim, CancellationTokenSource jobCts, StrongBox<bool> lost, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(Math.Min(2.0, options.Value.LeaseSeconds / 3.0));
        var wait = interval;
        var failing = false;
        try
        {
            while (true)
            {
                await Task.Delay(wait, stop);
                LeaseState state;
                try { state = store.RenewLease(claim, queue.Lease); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    queue.DatabaseFailed();
                    // The database is away: try four times a second, so that once it answers this run renews its lease (it
                    // still may, expired, while no one has taken the job over) before another replica's claim takes it.
                    if (!failing) logger.LogWarning("Renewing the lease of job {JobId} failed ({Error}); trying every 250 ms", claim.Id, e.Message);
                    failing = true;
                    wait = TimeSpan.FromMilliseconds(250);
                    continue;
                }
                // "Works again" only when the lease is still this run's: otherwise the line below says what became of it.
                if (failing && state == LeaseState.Held) logger.LogInformation("Renewing the lease of job {JobId} works again", claim.Id);
                failing = false;
                wait = interval;
                if (state == LeaseState.Held) continue;
                // The run itself ended the job (its version stored, the job succeeded) just before this renewal: nothing was lost.
                if (state == LeaseState.Lost && (stop.IsCancellationRequested || SucceededMeanwhile(claim.Id))) return;
                lost.Value = state == LeaseState.Lost;
                logger.LogInformation(state == LeaseState.Lost
                    ? "Job {JobId} is no longer this worker's (cancelled, or its lease expired and another replica took it); stopping"
                    : "Job {JobId} has a cancel recorded in the registry (asked through this or another replica); stopping", claim.Id);
                await jobCts.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    /// <summary>Whether the job's record says it succeeded; false when the database cannot say (the lease is then reported lost).</summary>
    private bool SucceededMeanwhile(Guid id)
    {
        try { return store.Get(id)?.Status == TrainingJobStatus.Succeeded; }
        catch (Exception e) when (TransientDatabaseErrors.Is(e)) { return false; }
    }

    /// <summary>Tells the observers (e.g. a drift's challenger review); the version is stored whatever they do.</summary>
    private void Notify(Guid id, VersionRecord version)
    {
        foreach (var observer in observers)
        {
            try { observer.Trained(id, version); }
            catch (Exception e) { logger.LogError(e, "Job {JobId}: {Observer} failed on version {Version}", id, observer.GetType().Name, version.Version); }
        }
    }

    private static VersionMetrics Metrics(TrainingResult result, TrainingJobSpec spec)
    {
        double? At(IReadOnlyList<double> list, int index) => index >= 0 && index < list.Count ? Finite.OrNull(list[index]) : null;
        var validation = result.ValidationLosses.Where(double.IsFinite).ToList();
        var loss = new LossSummary(
            InitialTrainLoss: At(result.TrainLosses, 0),
            FinalTrainLoss: At(result.TrainLosses, result.TrainLosses.Count - 1),
            TrainLossAtBestEpoch: At(result.TrainLosses, result.BestEpoch - 1),
            BestValidationLoss: validation.Count > 0 ? validation.Min() : null,
            FinalValidationLoss: At(result.ValidationLosses, result.ValidationLosses.Count - 1));
        var curve = new LossCurve(result.TrainLosses.Select(Finite.OrNull).ToArray(), result.ValidationLosses.Select(Finite.OrNull).ToArray());
        return new VersionMetrics(result.EpochsRun, result.BestEpoch, loss, BacktestSummary.Of(result.Metrics),
            spec.Series.Count, spec.Series.Sum(s => (long)s.Values.Length - HistoryLength.LeadingMissing(s.Values) - HistoryLength.TrailingMissing(s.Values)), result.MissingValues,
            curve, result.Search?.Select(SearchCandidateInfo.Of).ToArray());
    }

    /// <summary>
    /// SHA-256 over each series' length (int32 little-endian) and values (float32 little-endian, NaN for missing), then, for a
    /// series with covariates, each covariate in ordinal name order: its name (int32 byte count, UTF-8) and values likewise.
    /// </summary>
    internal static string Fingerprint(IReadOnlyList<TrainingSeries> series)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[4];
        foreach (var s in series)
        {
            AppendValues(hash, buffer, s.Values);
            if (s.Covariates is null) continue;
            foreach (var (name, values) in s.Covariates.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(name);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, bytes.Length);
                hash.AppendData(buffer);
                hash.AppendData(bytes);
                AppendValues(hash, buffer, values);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendValues(IncrementalHash hash, byte[] buffer, float[] values)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, values.Length);
        hash.AppendData(buffer);
        foreach (var v in values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(buffer, float.IsNaN(v) ? float.NaN : v);
            hash.AppendData(buffer);
        }
    }
}

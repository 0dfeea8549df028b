using System.Collections.Concurrent;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>
/// The queue between the endpoints and the training workers, the cancellation handles of running jobs, and a per-job
/// signal that wakes event-stream readers when a job changes. The queue is the job store itself: its queued rows, in
/// submit order. A worker claims the oldest one in a single conditional update, so no job is taken twice (also not one
/// submitted while the service starts), and the capacity counts queued rows, so a cancelled job frees its place at once.
/// On a shared database (PostgreSQL, several replicas) an idle worker also looks every <see cref="TrainingQueueOptions.PollMilliseconds"/>
/// for jobs submitted through other replicas and re-queues jobs whose lease expired (their replica died).
/// </summary>
public sealed class TrainingQueue(IOptions<TrainingQueueOptions> options, TrainingJobStore store, ModelRegistry registry, IRegistryDatabase database,
    ServiceMetrics metrics, TimeProvider time, ShutdownDrain drain, ILogger<TrainingQueue> logger)
{
    private const long AdmissionLock = 0x4c53_544d_5155_45; // "LSTMQUE"
    // When this process last found the database out of reach (a claim or a lease renewal failing); 0 = never. On a shared
    // database the start counts as one: a pod crash-looping through an outage starts the moment the database returns, and
    // would otherwise take over every job still training elsewhere.
    private long _databaseLastFailed = database.IsShared ? Math.Max(1, time.GetTimestamp()) : 0;
    private readonly Lock _admission = new();
    // One release per submit wakes an idle worker; a worker that finds nothing to claim waits again, so surplus releases are harmless.
    private readonly SemaphoreSlim _submitted = new(0);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<Guid, bool> _cancelBeforeStart = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _signals = new();

    /// <summary>
    /// Persists a new queued job; null when <see cref="TrainingQueueOptions.Capacity"/> jobs already wait (nothing is kept then).
    /// <paramref name="id"/>: the job's id when the caller recorded it before (a drift's challenger), else a new one.
    /// </summary>
    public TrainingJobRecord? TrySubmit(string model, TrainingJobSpec spec, Guid? id = null) => Submit(model, spec, checkCapacity: true, id);

    /// <summary>Persists a queued job whatever the queue holds: the first-start demo job, on a directory that holds no job at all.</summary>
    public TrainingJobRecord PersistQueued(string model, TrainingJobSpec spec) => Submit(model, spec, checkCapacity: false)!;

    private TrainingJobRecord? Submit(string model, TrainingJobSpec spec, bool checkCapacity, Guid? id = null)
    {
        TrainingJobRecord job;
        // Count and insert under one lock, so concurrent submits cannot both take the last place; on a shared database also
        // under a PostgreSQL advisory lock, held by a transaction of its own, so submits through other replicas cannot either.
        lock (_admission)
        {
            using var guard = checkCapacity && database.IsShared ? database.Connect() : null;
            using var tx = guard?.BeginTransaction();
            if (guard is not null) Sql.Execute(guard, tx, "SELECT pg_advisory_xact_lock(@lock)", ("@lock", AdmissionLock));
            if (checkCapacity && store.CountQueued() >= options.Value.Capacity) return null;
            job = store.Insert(id ?? Guid.NewGuid(), model, spec);
            // The job is stored from here on: a failure now would answer 503 and its retry queue it twice. The lock's own
            // transaction ends with its connection anyway.
            try { tx?.Commit(); }
            catch (Exception e) when (TransientDatabaseErrors.Is(e)) { logger.LogWarning(e, "Job {JobId}: releasing the admission lock failed", job.Id); }
        }
        // Created only once the job is accepted, so a 429 leaves no empty model behind. (A worker that starts the job first
        // is fine: storing the version creates the model too, so a failure here loses nothing.)
        try { registry.EnsureModel(model); }
        // The job is stored: an error here must not answer the submit as if it were not (a full disk's 507 says "send it again").
        catch (Exception e) when (TransientDatabaseErrors.Is(e) || StorageFullErrors.Is(e)) { logger.LogWarning(e, "Job {JobId}: creating model {Model} failed; its version will", job.Id, model); }
        logger.LogInformation("Job {JobId} for model {Model} queued ({Series} series, {Epochs} epochs)", job.Id, model, spec.Series.Count, spec.Settings.Epochs);
        metrics.TrainingJobsSubmitted.Inc();
        _submitted.Release();
        return job;
    }

    /// <summary>The lease a claimed job holds until its run renews it.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>Waits for a queued job and claims it (queued → running, under a new lease); the oldest first.</summary>
    public async Task<JobClaim> TakeAsync(CancellationToken cancellationToken)
    {
        var poll = database.IsShared ? TimeSpan.FromMilliseconds(options.Value.PollMilliseconds) : Timeout.InfiniteTimeSpan;
        var failing = false;
        while (true)
        {
            // A stopping process claims nothing more while it drains: the job would train a few seconds and go back to the queue.
            if (drain.Draining) await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            try
            {
                if (database.IsShared) RecoverExpiredLeases();
                var claim = store.TryClaimNext(Lease);
                if (failing) logger.LogInformation("Claiming training jobs works again");
                failing = false;
                if (claim is not null) return claim;
            }
            // Any error but this loop's own cancellation: another cancellation thrown on had faulted the worker and stopped the host.
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The database server is away (a restart, a failover), the SQLite file busy, its disk full (the claim is a
                // write) or worse (read-only, damaged): keep the worker and look again after the poll interval (a second for
                // SQLite, which is otherwise woken by submits). Thrown on, it had ended the worker loop, and the whole service.
                var wait = database.IsShared ? poll : TimeSpan.FromSeconds(1);
                bool expected = StorageWriteErrors.Is(e)
                    || database.IsShared && e is System.Data.Common.DbException or TimeoutException;
                // Only the database's errors hold off the lease recovery (a bug here would otherwise hold it off for good).
                if (expected) DatabaseFailed();
                // Once per outage, not once a second: a full disk had logged a stack trace every second until it was freed.
                // The database's errors say what happened in their message (a stack trace of Npgsql's connect told an operator nothing more).
                if (!failing) logger.Log(expected ? LogLevel.Warning : LogLevel.Error, expected ? null : e, "Claiming a training job failed ({Error}); retrying every {Wait} ms",
                    e.Message, wait.TotalMilliseconds);
                failing = true;
                await Task.Delay(wait, cancellationToken);
                continue;
            }
            await _submitted.WaitAsync(poll, cancellationToken);
        }
    }

    /// <summary>Records that the database was out of reach just now (see <see cref="RecoverExpiredLeases"/>).</summary>
    public void DatabaseFailed() => Interlocked.Exchange(ref _databaseLastFailed, Math.Max(1, time.GetTimestamp()));

    /// <summary>
    /// Re-queues (or fails, at MaxAttempts) the running jobs whose replica stopped renewing their lease; not within a lease of
    /// this process last finding the database out of reach. No replica could renew while it was away, so every lease it
    /// outlasted reads as expired when it returns: taken over at once, a job still training elsewhere had lost its run and
    /// an attempt to whichever replica reached the database first. A lease later, the living runs have renewed theirs.
    /// </summary>
    public void RecoverExpiredLeases()
    {
        var failed = Interlocked.Read(ref _databaseLastFailed);
        if (failed != 0 && time.GetElapsedTime(failed) < Lease) return;
        var (requeued, failedJobs, cancelled) = store.RecoverInterrupted(options.Value.MaxAttempts, expiredOnly: true);
        if (requeued + failedJobs + cancelled == 0) return;
        logger.LogWarning("Took over {Count} training jobs whose lease expired: {Requeued} re-queued, {Failed} failed at TrainingQueue:MaxAttempts, {Cancelled} cancelled as asked",
            requeued + failedJobs + cancelled, requeued, failedJobs, cancelled);
        metrics.LeaseTakeovers.Inc(requeued + failedJobs + cancelled);
    }

    /// <summary>Cancels a queued job at once, or asks a running one to stop. Returns the job as it is afterwards, or null if unknown.</summary>
    public (TrainingJobRecord? Job, bool Accepted) Cancel(Guid id)
    {
        if (store.TryCancelQueued(id))
        {
            logger.LogInformation("Job {JobId} cancelled while queued", id);
            Signal(id);
            return (store.Get(id), true);
        }
        if (_running.TryGetValue(id, out var cts))
        {
            // Read before signalling: a run that stops at once would otherwise be read back cancelled, and a cancel of a
            // running job answers with the job as it was when asked (running: 202), whatever the worker does next.
            var running = store.Get(id);
            // The worker unregisters a run only after writing its end, so a job still listed here may already have ended.
            if (running is null or { IsFinished: true }) return (running, running is { Status: TrainingJobStatus.Cancelled });
            logger.LogInformation("Job {JobId} cancellation requested", id);
            // Recorded should the process die before the run stops; the run is stopped whatever the database says.
            try { store.RequestCancel(id); }
            finally { cts.Cancel(); }
            return (running with { CancelRequested = true }, true);
        }
        var job = store.Get(id);
        if (job is { Status: TrainingJobStatus.Running })
        {
            // Claimed by a worker that has not registered its handle yet: it cancels the job as soon as it does. Or it runs on
            // another replica, which reads the request when it renews the job's lease.
            _cancelBeforeStart[id] = true;
            try { store.RequestCancel(id); }
            finally { if (_running.TryGetValue(id, out cts)) cts.Cancel(); }
            logger.LogInformation("Job {JobId} cancellation requested", id);
            return (job with { CancelRequested = true }, true);
        }
        return (job, job is { Status: TrainingJobStatus.Cancelled });
    }

    /// <summary>Asks running jobs to stop (their rows were already marked cancelled, e.g. by deleting their model).</summary>
    public void CancelRunning(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
            else _cancelBeforeStart[id] = true;
            Signal(id);
        }
    }

    internal void RegisterRunning(Guid id, CancellationTokenSource cts)
    {
        _running[id] = cts;
        if (_cancelBeforeStart.TryRemove(id, out _)) cts.Cancel();
    }

    /// <summary>Whether a run of the job is under way in this process.</summary>
    internal bool IsRunning(Guid id) => _running.ContainsKey(id);

    internal void UnregisterRunning(Guid id)
    {
        _running.TryRemove(id, out _);
        _cancelBeforeStart.TryRemove(id, out _);
    }

    /// <summary>A task that completes at the job's next change.</summary>
    public Task WaitForChangeAsync(Guid id) =>
        _signals.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal(Guid id)
    {
        if (_signals.TryRemove(id, out var tcs)) tcs.TrySetResult();
    }
}

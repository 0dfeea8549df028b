using System.Collections.Concurrent;
using System.Text.Json;
using LstmService.Registry;
using System.Data.Common;
using static LstmService.Registry.Sql;

namespace LstmService.Training;

/// <summary>
/// Persists jobs and their state transitions in the registry database. Every transition is a conditional update
/// on the current status, so a cancel racing with a worker has exactly one winner. Running jobs also keep their
/// per-epoch progress in memory, so reads see every epoch while database writes are throttled; the throttled writes are
/// what other replicas read. A running job holds a lease (<see cref="JobClaim"/>) that its run renews; writes of the run
/// name it.
/// </summary>
public sealed class TrainingJobStore(IRegistryDatabase database)
{
    private readonly ConcurrentDictionary<Guid, LiveProgress> _live = new();

    public TrainingJobRecord Insert(Guid id, string model, TrainingJobSpec spec)
    {
        var created = DateTimeOffset.UtcNow;
        var now = Timestamp(created);
        using var c = database.Connect();
        Execute(c, null, """
            INSERT INTO jobs (id, model, status, epoch, epochs, created_at, updated_at, request)
            VALUES (@id, @model, 'queued', 0, @epochs, @now, @now, @request)
            """, ("@id", id.ToString()), ("@model", model), ("@epochs", spec.Settings.Epochs), ("@now", now),
            ("@request", JsonSerializer.Serialize(spec, ModelRegistry.Json)));
        // Built from what was written, not read back: once the row is in, nothing may fail and make a client submit it again.
        var stored = ParseTimestamp(now);
        return new TrainingJobRecord(id, model, TrainingJobStatus.Queued, 0, spec.Settings.Epochs, null, null, null, null, null,
            stored, null, null, stored, null);
    }

    /// <summary>Jobs waiting in the queue (the capacity counts these).</summary>
    public int CountQueued()
    {
        using var c = database.Connect();
        return Convert.ToInt32(Scalar(c, null, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'"));
    }

    /// <summary>Jobs per status and the creation time of the oldest queued one (metrics, read at scrape).</summary>
    /// <summary>Jobs by status, the oldest queued one's time, and whether a shared database takes no writes (a standby a failover reached).</summary>
    public (IReadOnlyDictionary<TrainingJobStatus, int> ByStatus, DateTimeOffset? OldestQueued, bool ReadOnly) Stats()
    {
        using var c = database.Connect();
        var counts = Query(c, null, "SELECT status, COUNT(*) FROM jobs GROUP BY status",
            r => (ModelRegistry.ParseEnum<TrainingJobStatus>(r.GetString(0)), Convert.ToInt32(r.GetValue(1))));
        var oldest = Scalar(c, null, "SELECT MIN(created_at) FROM jobs WHERE status = 'queued'") is string t ? ParseTimestamp(t) : (DateTimeOffset?)null;
        var readOnly = database.IsShared && Scalar(c, null, "SELECT current_setting('transaction_read_only')") as string == "on";
        return (counts.ToDictionary(x => x.Item1, x => x.Item2), oldest, readOnly);
    }

    public TrainingJobRecord? Get(Guid id, bool includeLossCurve = false)
    {
        using var c = database.Connect();
        var job = Query(c, null, Select(includeLossCurve) + " WHERE id = @id", r => Read(r, includeLossCurve), ("@id", id.ToString())).FirstOrDefault();
        return job is null ? null : Overlay(job, includeLossCurve);
    }

    /// <summary>
    /// Jobs newest first, optionally of one model and status; with <paramref name="before"/>, only those submitted before that
    /// job (the next page after it). Null when <paramref name="before"/> names no job.
    /// </summary>
    public IReadOnlyList<TrainingJobRecord>? List(string? model, TrainingJobStatus? status, int limit, Guid? before = null)
    {
        using var c = database.Connect();
        long? beforeSeq = null;
        if (before is { } id)
        {
            if (Scalar(c, null, "SELECT seq FROM jobs WHERE id = @id", ("@id", id.ToString())) is not { } seq) return null;
            beforeSeq = Convert.ToInt64(seq, System.Globalization.CultureInfo.InvariantCulture);
        }
        var sql = Select(false) + " WHERE (CAST(@model AS TEXT) IS NULL OR model = @model) AND (CAST(@status AS TEXT) IS NULL OR status = @status)"
            + " AND (CAST(@before AS BIGINT) IS NULL OR seq < @before) ORDER BY seq DESC LIMIT @limit";
        return Query(c, null, sql, r => Read(r, false), ("@model", model), ("@status", status is { } s ? StatusText(s) : null), ("@before", beforeSeq), ("@limit", limit))
            .Select(j => Overlay(j, false)).ToList();
    }

    /// <summary>The job's request (settings and series); null for an unknown job or one whose training data was purged.</summary>
    public TrainingJobSpec? GetSpec(Guid id)
    {
        using var c = database.Connect();
        return Scalar(c, null, "SELECT request FROM jobs WHERE id = @id", ("@id", id.ToString())) is string { Length: > 0 } json
            ? JsonSerializer.Deserialize<TrainingJobSpec>(json, ModelRegistry.Json)
            : null;
    }

    // A purged request is the empty string (the column is NOT NULL in every schema version): the job's row, status, losses
    // and version stay; only the series a client sent, which may be someone's data, go.
    private const string PurgedRequest = "''";
    private const string Finished = "status IN ('succeeded', 'failed', 'cancelled')";

    /// <summary>Drops the training data of jobs that finished before <paramref name="cutoff"/>; returns how many.</summary>
    public int PurgeFinishedBefore(DateTimeOffset cutoff)
    {
        using var c = database.Connect();
        return Execute(c, null, $"UPDATE jobs SET request = {PurgedRequest} WHERE {Finished} AND finished_at < @cutoff AND request <> {PurgedRequest}",
            ("@cutoff", Timestamp(cutoff)));
    }

    /// <summary>
    /// Within the transaction that deletes a model, after <see cref="CancelJobsOfModel"/>: every job of the model has ended,
    /// so all their training data goes at once (a running job already holds its copy in memory).
    /// </summary>
    public static int PurgeJobsOfModel(DbConnection c, DbTransaction tx, string model) =>
        Execute(c, tx, $"UPDATE jobs SET request = {PurgedRequest} WHERE model = @m AND {Finished}", ("@m", model));

    /// <summary>
    /// Claims the oldest queued job (queued → running, one more attempt, a new lease until now + <paramref name="lease"/>) in one
    /// statement, so two workers never take the same job (with PostgreSQL the pick skips rows another replica is claiming);
    /// null when none waits.
    /// </summary>
    public JobClaim? TryClaimNext(TimeSpan lease)
    {
        var token = Guid.NewGuid().ToString("N");
        using var c = database.Connect();
        var now = LeaseClock(c);
        return Scalar(c, null, $"""
            UPDATE jobs SET status = 'running', started_at = @now, epoch = 0, attempts = attempts + 1, updated_at = @now,
                lease_owner = @lease, lease_expires = @expires, cancel_requested = 0
            WHERE seq = (SELECT seq FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1{database.Dialect.SkipLocked}) AND status = 'queued'
            RETURNING id
            """, ("@now", Timestamp(now)), ("@lease", token), ("@expires", Timestamp(now + lease))) is string id ? new JobClaim(Guid.Parse(id), token) : null;
    }

    /// <summary>
    /// The time leases are set and judged by: on a shared database its server's clock, one for every replica; a replica whose
    /// own clock ran ahead by about a lease less a renewal (28 s with the defaults) had read healthy runs' leases as expired and
    /// taken their jobs over, each costing an attempt. One process (SQLite) has one clock. (Jobs' other times, shown to
    /// clients, are still the writing replica's.)
    /// </summary>
    private DateTimeOffset LeaseClock(DbConnection c) =>
        database.IsShared
            ? new DateTimeOffset(DateTime.SpecifyKind((DateTime)Scalar(c, null, "SELECT clock_timestamp()")!, DateTimeKind.Utc))
            : DateTimeOffset.UtcNow;

    /// <summary>
    /// Extends a running job's lease; says whether the run still holds it and whether another replica asked to cancel the job.
    /// </summary>
    public LeaseState RenewLease(JobClaim claim, TimeSpan lease)
    {
        using var c = database.Connect();
        var now = LeaseClock(c);
        return Scalar(c, null, """
            UPDATE jobs SET lease_expires = @expires WHERE id = @id AND status = 'running' AND lease_owner = @lease
            RETURNING cancel_requested
            """, ("@id", claim.Id.ToString()), ("@lease", claim.Lease), ("@expires", Timestamp(now + lease))) switch
        {
            null => LeaseState.Lost,
            var flag when Convert.ToInt32(flag) != 0 => LeaseState.CancelRequested,
            _ => LeaseState.Held,
        };
    }

    /// <summary>
    /// Records a running job's cancel: the replica running it reads the flag when it renews the lease, and a job whose
    /// process dies before it stops ends cancelled at recovery instead of running again. False unless the job runs.
    /// </summary>
    public bool RequestCancel(Guid id)
    {
        using var c = database.Connect();
        return Execute(c, null, "UPDATE jobs SET cancel_requested = 1 WHERE id = @id AND status = 'running'", ("@id", id.ToString())) == 1;
    }

    /// <summary>
    /// A job left running by a process that stopped runs again from the beginning, unless it has used up
    /// <paramref name="maxAttempts"/>: then it fails, so a job that kills the process cannot crash it forever. With
    /// <paramref name="expiredOnly"/> false (one process, at start: a graceful shutdown re-queues its job, so any running
    /// row is a crash's) every running job counts; with true (replicas) only those whose lease ran out. One whose cancel was
    /// asked for ends cancelled instead.
    /// </summary>
    public (int Requeued, int Failed, int Cancelled) RecoverInterrupted(int maxAttempts, bool expiredOnly = false)
    {
        const string Interrupted = "status = 'running' AND (@all = 1 OR lease_expires IS NULL OR lease_expires < @now)";
        using var c = database.Connect();
        var now = Timestamp(LeaseClock(c));
        using var tx = c.BeginTransaction();
        // A cancel asked for while the job's process was gone (through another replica, or just before a crash) still holds.
        var cancelled = Execute(c, tx, $"""
            UPDATE jobs SET status = 'cancelled', finished_at = @now, updated_at = @now, lease_owner = NULL, lease_expires = NULL
            WHERE {Interrupted} AND cancel_requested = 1
            """, ("@now", now), ("@all", expiredOnly ? 0 : 1));
        var failed = Execute(c, tx, $"""
            UPDATE jobs SET status = 'failed', finished_at = @now, updated_at = @now, lease_owner = NULL, lease_expires = NULL,
                error = 'The service stopped unexpectedly while this job was running, ' || attempts || ' times (TrainingQueue:MaxAttempts is ' || @max || '); it is not retried again.'
            WHERE {Interrupted} AND attempts >= @max
            """, ("@now", now), ("@max", maxAttempts), ("@all", expiredOnly ? 0 : 1));
        var requeued = Execute(c, tx, $"""
            UPDATE jobs SET status = 'queued', epoch = 0, train_loss = NULL, validation_loss = NULL, started_at = NULL, loss_curve = NULL,
                lease_owner = NULL, lease_expires = NULL, cancel_requested = 0, updated_at = @now
            WHERE {Interrupted}
            """, ("@now", now), ("@all", expiredOnly ? 0 : 1));
        tx.Commit();
        return (requeued, failed, cancelled);
    }

    public bool TryCancelQueued(Guid id) => Transition(id, "queued", "status = 'cancelled', finished_at = @now");

    /// <summary>
    /// On graceful shutdown: a running job goes back to the queue so it runs again after the restart. The interrupted run
    /// does not count as an attempt: only crashes use them up. False, and nothing changed, when its lease is lost or a cancel
    /// was asked for (the caller then ends it cancelled).
    /// </summary>
    /// <param name="claim">The run giving the job back.</param>
    /// <param name="countAttempt">Whether the run counts against TrainingQueue:MaxAttempts: not for a shutdown's (the run was
    /// stopped, not failed), yes for one the database failed (so a database that never comes back cannot retrain it forever).</param>
    public bool Requeue(JobClaim claim, bool countAttempt = false)
    {
        _live.TryGetValue(claim.Id, out var live);
        using var c = database.Connect();
        var attempts = countAttempt ? "attempts" : $"{database.Dialect.Greatest}(attempts - 1, 0)";
        return Ended(claim, live, Execute(c, null, $"""
            UPDATE jobs SET status = 'queued', epoch = 0, train_loss = NULL, validation_loss = NULL, started_at = NULL, loss_curve = NULL,
                attempts = {attempts}, lease_owner = NULL, lease_expires = NULL, cancel_requested = 0, updated_at = @now
            WHERE id = @id AND status = 'running' AND lease_owner = @lease AND cancel_requested = 0
            """, ("@id", claim.Id.ToString()), ("@lease", claim.Lease), ("@now", Timestamp(DateTimeOffset.UtcNow))) == 1);
    }

    /// <summary>
    /// The run's live progress dropped once its end is written, and only then, and only that run's: a write of an earlier run
    /// of the same job retried later (its lease since taken over by a new run in this process) must not drop the new run's.
    /// </summary>
    private bool Ended(JobClaim claim, LiveProgress? live, bool written)
    {
        if (written && live is not null) _live.TryRemove(new KeyValuePair<Guid, LiveProgress>(claim.Id, live));
        return written;
    }

    /// <summary>Ends this run's job cancelled; false, and nothing changed, when it is no longer this run's.</summary>
    /// <param name="claim">The run ending the job.</param>
    /// <param name="at">When the run ended (its finishedAt), if not now: a write retried later keeps the time it happened.</param>
    public bool MarkCancelled(JobClaim claim, DateTimeOffset? at = null) => Finish(claim, "cancelled", null, at);

    /// <summary>Ends this run's job failed with <paramref name="error"/> (shown to clients); false when it is no longer this run's.</summary>
    /// <param name="claim">The run ending the job.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="at">When the run ended (its finishedAt), if not now.</param>
    public bool MarkFailed(JobClaim claim, string error, DateTimeOffset? at = null) => Finish(claim, "failed", error, at);

    /// <summary>
    /// Within the registry's transaction that adds the version: running → succeeded with the version and the loss curve, and
    /// <paramref name="epochs"/>, those the run could take (<see cref="LiveEpochs"/>; null keeps the row's): a run that ended
    /// before its progress was first written had shown the request's count again (a review).
    /// </summary>
    public static bool TryComplete(DbConnection c, DbTransaction tx, JobClaim claim, int version, int bestEpoch, IReadOnlyList<double> train, IReadOnlyList<double> validation,
        int? epochs = null)
    {
        var curve = new LossCurve(train.Select(Finite.OrNull).ToArray(), validation.Select(Finite.OrNull).ToArray());
        return Execute(c, tx, """
            UPDATE jobs SET status = 'succeeded', version = @version, best_epoch = @best, epoch = @epoch, epochs = COALESCE(@epochs, epochs),
                train_loss = @train, validation_loss = @validation, loss_curve = @curve, finished_at = @now, updated_at = @now
            WHERE id = @id AND status = 'running' AND lease_owner = @lease
            """, ("@id", claim.Id.ToString()), ("@lease", claim.Lease), ("@version", version), ("@best", bestEpoch), ("@epoch", train.Count), ("@epochs", epochs),
            ("@train", train.Count > 0 ? Finite.OrNull(train[^1]) : null),
            ("@validation", validation.Count > 0 ? Finite.OrNull(validation[^1]) : null),
            ("@curve", JsonSerializer.Serialize(curve, ModelRegistry.Json)), ("@now", Timestamp(DateTimeOffset.UtcNow))) == 1;
    }

    /// <summary>
    /// Within the transaction that deletes a model: its queued and running jobs end cancelled, their error saying why (a QA
    /// pass saw a running job end cancelled with nothing saying its model had gone). Returns the ones that were running.
    /// </summary>
    public static IReadOnlyList<Guid> CancelJobsOfModel(DbConnection c, DbTransaction tx, string model)
    {
        var running = Query(c, tx, "SELECT id FROM jobs WHERE model = @m AND status = 'running'", r => Guid.Parse(r.GetString(0)), ("@m", model));
        Execute(c, tx, "UPDATE jobs SET status = 'cancelled', error = @error, finished_at = @now, updated_at = @now WHERE model = @m AND status IN ('queued', 'running')",
            ("@m", model), ("@error", ModelDeletedError(model)), ("@now", Timestamp(DateTimeOffset.UtcNow)));
        return running;
    }

    /// <summary>The error of a job cancelled because its model was deleted.</summary>
    public static string ModelDeletedError(string model) =>
        $"Model '{model}' was deleted (DELETE /models/{model}) before this job ended; it stored no version.";

    // ---- live progress of running jobs ----

    public void StartLive(Guid id) => _live[id] = new LiveProgress();

    /// <summary>
    /// Records an ended epoch of a running job, and <paramref name="epochs"/>, those the run may take: the request's, or
    /// fewer where a long series' fit is capped (<c>LockstepRun.FitStepBudget</c>); the job's <c>epochs</c> says so from its
    /// first epoch on.
    /// </summary>
    public void ReportEpoch(Guid id, int epoch, int epochs, double trainLoss, double validationLoss)
    {
        if (_live.TryGetValue(id, out var live)) live.Add(epoch, epochs, trainLoss, validationLoss);
    }

    /// <summary>Writes the latest epoch of a running job (throttled by the caller).</summary>
    public void FlushProgress(JobClaim claim)
    {
        if (!_live.TryGetValue(claim.Id, out var live)) return;
        var (epoch, epochs, train, validation) = live.Latest();
        using var c = database.Connect();
        Execute(c, null, "UPDATE jobs SET epoch = @epoch, epochs = @epochs, train_loss = @train, validation_loss = @validation, updated_at = @now WHERE id = @id AND status = 'running' AND lease_owner = @lease",
            ("@id", claim.Id.ToString()), ("@lease", claim.Lease), ("@epoch", epoch), ("@epochs", epochs), ("@train", train), ("@validation", validation), ("@now", Timestamp(DateTimeOffset.UtcNow)));
    }

    public void EndLive(Guid id) => _live.TryRemove(id, out _);

    /// <summary>The epochs a running job's fit may take, once an epoch has ended (<see cref="ReportEpoch"/>), else null.</summary>
    public int? LiveEpochs(Guid id) => _live.TryGetValue(id, out var live) && live.Latest() is { Epoch: > 0 } latest ? latest.Epochs : null;

    /// <summary>
    /// Says, while the job runs, why its trained version is not stored yet (shown as its <c>error</c> on this replica);
    /// returns whether this is the first such note of the run.
    /// </summary>
    public bool NoteStalled(Guid id, string note) => _live.TryGetValue(id, out var live) && live.Note(note);

    /// <summary>Whether the running job was noted as unable to store its version (<see cref="NoteStalled"/>).</summary>
    public bool IsStalled(Guid id) => _live.TryGetValue(id, out var live) && live.Stalled is not null;

    private TrainingJobRecord Overlay(TrainingJobRecord job, bool includeLossCurve)
    {
        if (job.Status != TrainingJobStatus.Running || !_live.TryGetValue(job.Id, out var live)) return job;
        if (live.Stalled is { } stalled) job = job with { Error = stalled };
        var (epoch, epochs, train, validation) = live.Latest();
        if (epoch == 0) return job;
        return job with { Epoch = epoch, Epochs = epochs, TrainLoss = train, ValidationLoss = validation, LossCurve = includeLossCurve ? live.Curve() : null };
    }

    private bool Finish(JobClaim claim, string status, string? error, DateTimeOffset? at)
    {
        var live = _live.TryGetValue(claim.Id, out var l) ? l : null;
        var (epoch, epochs, train, validation) = live?.Latest() ?? (0, 0, null, null);
        using var c = database.Connect();
        var sql = "UPDATE jobs SET status = @status, error = @error, finished_at = @at, updated_at = @now"
            + (live is null ? "" : ", epoch = @epoch, train_loss = @train, validation_loss = @validation, loss_curve = @curve")
            + (epoch > 0 ? ", epochs = @epochs" : "")
            + " WHERE id = @id AND status = 'running' AND lease_owner = @lease";
        return Ended(claim, live, Execute(c, null, sql, ("@id", claim.Id.ToString()), ("@lease", claim.Lease), ("@status", status), ("@error", error), ("@now", Timestamp(DateTimeOffset.UtcNow)), ("@at", Timestamp(at ?? DateTimeOffset.UtcNow)),
            ("@epoch", epoch), ("@epochs", epochs), ("@train", train), ("@validation", validation),
            ("@curve", live is null ? null : JsonSerializer.Serialize(live.Curve(), ModelRegistry.Json))) == 1);
    }

    private bool Transition(Guid id, string from, string set)
    {
        using var c = database.Connect();
        return Execute(c, null, $"UPDATE jobs SET {set}, updated_at = @now WHERE id = @id AND status = '{from}'",
            ("@id", id.ToString()), ("@now", Timestamp(DateTimeOffset.UtcNow))) == 1;
    }

    private static string Select(bool includeLossCurve) =>
        "SELECT id, model, status, epoch, epochs, train_loss, validation_loss, best_epoch, version, error, created_at, started_at, finished_at, updated_at, attempts, cancel_requested"
        + (includeLossCurve ? ", loss_curve" : "") + " FROM jobs";

    private static TrainingJobRecord Read(DbDataReader r, bool includeLossCurve) => new(
        Guid.Parse(r.GetString(0)), r.GetString(1), ModelRegistry.ParseEnum<TrainingJobStatus>(r.GetString(2)),
        r.GetInt32(3), r.GetInt32(4), GetDoubleOrNull(r, 5), GetDoubleOrNull(r, 6), GetInt32OrNull(r, 7), GetInt32OrNull(r, 8),
        GetStringOrNull(r, 9), ParseTimestamp(r.GetString(10)), GetTimestampOrNull(r, 11), GetTimestampOrNull(r, 12), ParseTimestamp(r.GetString(13)),
        includeLossCurve && GetStringOrNull(r, 16) is { } curve ? JsonSerializer.Deserialize<LossCurve>(curve, ModelRegistry.Json) : null,
        r.GetInt32(14), Convert.ToInt64(r.GetValue(15)) != 0);

    internal static string StatusText(TrainingJobStatus status) => ModelRegistry.Enum(status);

    /// <summary>Per-epoch losses of a running job; written by its training thread, read by requests.</summary>
    private sealed class LiveProgress
    {
        private readonly Lock _lock = new();
        private readonly List<double?> _train = [], _validation = [];
        private int _epoch, _epochs;

        /// <summary>Why the trained version is not stored yet, or null.</summary>
        public string? Stalled { get; private set; }

        /// <summary>Sets <see cref="Stalled"/> the first time (its "since" stays the first refused try's); true then.</summary>
        public bool Note(string note)
        {
            lock (_lock)
            {
                if (Stalled is not null) return false;
                Stalled = note;
                return true;
            }
        }

        public void Add(int epoch, int epochs, double train, double validation)
        {
            lock (_lock)
            {
                _epoch = epoch;
                _epochs = epochs;
                _train.Add(Finite.OrNull(train));
                _validation.Add(Finite.OrNull(validation));
            }
        }

        public (int Epoch, int Epochs, double? Train, double? Validation) Latest()
        {
            lock (_lock) return _epoch == 0 ? (0, 0, null, null) : (_epoch, _epochs, _train[^1], _validation[^1]);
        }

        public LossCurve Curve()
        {
            lock (_lock) return new LossCurve(_train.ToArray(), _validation.ToArray());
        }
    }
}

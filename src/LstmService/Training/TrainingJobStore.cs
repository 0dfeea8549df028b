using System.Collections.Concurrent;
using System.Text.Json;
using LstmService.Registry;
using Microsoft.Data.Sqlite;
using static LstmService.Registry.RegistryDatabase;

namespace LstmService.Training;

/// <summary>
/// Persists jobs and their state transitions in the registry database. Every transition is a conditional update
/// on the current status, so a cancel racing with a worker has exactly one winner. Running jobs also keep their
/// per-epoch progress in memory, so reads see every epoch while database writes are throttled.
/// </summary>
public sealed class TrainingJobStore(RegistryDatabase database)
{
    private readonly ConcurrentDictionary<Guid, LiveProgress> _live = new();

    public TrainingJobRecord Insert(Guid id, string model, TrainingJobSpec spec)
    {
        var now = Timestamp(DateTimeOffset.UtcNow);
        using var c = database.Connect();
        Execute(c, null, """
            INSERT INTO jobs (id, model, status, epoch, epochs, created_at, updated_at, request)
            VALUES ($id, $model, 'queued', 0, $epochs, $now, $now, $request)
            """, ("$id", id.ToString()), ("$model", model), ("$epochs", spec.Settings.Epochs), ("$now", now),
            ("$request", JsonSerializer.Serialize(spec, ModelRegistry.Json)));
        return Get(id)!;
    }

    /// <summary>Jobs waiting in the queue (the capacity counts these).</summary>
    public int CountQueued()
    {
        using var c = database.Connect();
        return Convert.ToInt32(Scalar(c, null, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'"));
    }

    public TrainingJobRecord? Get(Guid id, bool includeLossCurve = false)
    {
        using var c = database.Connect();
        var job = Query(c, null, Select(includeLossCurve) + " WHERE id = $id", r => Read(r, includeLossCurve), ("$id", id.ToString())).FirstOrDefault();
        return job is null ? null : Overlay(job, includeLossCurve);
    }

    public IReadOnlyList<TrainingJobRecord> List(string? model, TrainingJobStatus? status, int limit)
    {
        using var c = database.Connect();
        var sql = Select(false) + " WHERE ($model IS NULL OR model = $model) AND ($status IS NULL OR status = $status) ORDER BY seq DESC LIMIT $limit";
        return Query(c, null, sql, r => Read(r, false), ("$model", model), ("$status", status is { } s ? StatusText(s) : null), ("$limit", limit))
            .Select(j => Overlay(j, false)).ToList();
    }

    /// <summary>The job's request (settings and series); null for an unknown job or one whose training data was purged.</summary>
    public TrainingJobSpec? GetSpec(Guid id)
    {
        using var c = database.Connect();
        return Scalar(c, null, "SELECT request FROM jobs WHERE id = $id", ("$id", id.ToString())) is string { Length: > 0 } json
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
        return Execute(c, null, $"UPDATE jobs SET request = {PurgedRequest} WHERE {Finished} AND finished_at < $cutoff AND request <> {PurgedRequest}",
            ("$cutoff", Timestamp(cutoff)));
    }

    /// <summary>
    /// Within the transaction that deletes a model, after <see cref="CancelJobsOfModel"/>: every job of the model has ended,
    /// so all their training data goes at once (a running job already holds its copy in memory).
    /// </summary>
    public static int PurgeJobsOfModel(SqliteConnection c, SqliteTransaction tx, string model) =>
        Execute(c, tx, $"UPDATE jobs SET request = {PurgedRequest} WHERE model = $m AND {Finished}", ("$m", model));

    /// <summary>
    /// Claims the oldest queued job (queued → running, one more attempt) in one statement, so two workers never take the
    /// same job; null when none waits.
    /// </summary>
    public Guid? TryClaimNext()
    {
        using var c = database.Connect();
        return Scalar(c, null, """
            UPDATE jobs SET status = 'running', started_at = $now, epoch = 0, attempts = attempts + 1, updated_at = $now
            WHERE seq = (SELECT seq FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1) AND status = 'queued'
            RETURNING id
            """, ("$now", Timestamp(DateTimeOffset.UtcNow))) is string id ? Guid.Parse(id) : null;
    }

    /// <summary>
    /// At start: a job that was running when the process stopped (a crash: a graceful shutdown re-queues its job) runs again
    /// from the beginning, unless it has used up <paramref name="maxAttempts"/>: then it fails, so a job that kills the
    /// process cannot crash it at every start.
    /// </summary>
    public (int Requeued, int Failed) RecoverInterrupted(int maxAttempts)
    {
        var now = Timestamp(DateTimeOffset.UtcNow);
        using var c = database.Connect();
        using var tx = c.BeginTransaction();
        var failed = Execute(c, tx, """
            UPDATE jobs SET status = 'failed', finished_at = $now, updated_at = $now,
                error = 'The service stopped unexpectedly while this job was running, ' || attempts || ' times (TrainingQueue:MaxAttempts is ' || $max || '); it is not retried again.'
            WHERE status = 'running' AND attempts >= $max
            """, ("$now", now), ("$max", maxAttempts));
        var requeued = Execute(c, tx, """
            UPDATE jobs SET status = 'queued', epoch = 0, train_loss = NULL, validation_loss = NULL, started_at = NULL, loss_curve = NULL, updated_at = $now
            WHERE status = 'running'
            """, ("$now", now));
        tx.Commit();
        return (requeued, failed);
    }

    public bool TryCancelQueued(Guid id) => Transition(id, "queued", "status = 'cancelled', finished_at = $now");

    /// <summary>
    /// On graceful shutdown: a running job goes back to the queue so it runs again after the restart. The interrupted run
    /// does not count as an attempt: only crashes use them up.
    /// </summary>
    public bool Requeue(Guid id)
    {
        _live.TryRemove(id, out _);
        return Transition(id, "running", "status = 'queued', epoch = 0, train_loss = NULL, validation_loss = NULL, started_at = NULL, loss_curve = NULL, attempts = MAX(attempts - 1, 0)");
    }

    public bool MarkCancelled(Guid id) => Finish(id, "cancelled", null);

    public bool MarkFailed(Guid id, string error) => Finish(id, "failed", error);

    /// <summary>Within the registry's transaction that adds the version: running → succeeded with the version and the loss curve.</summary>
    public static bool TryComplete(SqliteConnection c, SqliteTransaction tx, Guid id, int version, int bestEpoch, IReadOnlyList<double> train, IReadOnlyList<double> validation)
    {
        var curve = new LossCurve(train.Select(Finite.OrNull).ToArray(), validation.Select(Finite.OrNull).ToArray());
        return Execute(c, tx, """
            UPDATE jobs SET status = 'succeeded', version = $version, best_epoch = $best, epoch = $epoch,
                train_loss = $train, validation_loss = $validation, loss_curve = $curve, finished_at = $now, updated_at = $now
            WHERE id = $id AND status = 'running'
            """, ("$id", id.ToString()), ("$version", version), ("$best", bestEpoch), ("$epoch", train.Count),
            ("$train", train.Count > 0 ? Finite.OrNull(train[^1]) : null),
            ("$validation", validation.Count > 0 ? Finite.OrNull(validation[^1]) : null),
            ("$curve", JsonSerializer.Serialize(curve, ModelRegistry.Json)), ("$now", Timestamp(DateTimeOffset.UtcNow))) == 1;
    }

    /// <summary>Within the transaction that deletes a model: its queued and running jobs end cancelled. Returns the ones that were running.</summary>
    public static IReadOnlyList<Guid> CancelJobsOfModel(SqliteConnection c, SqliteTransaction tx, string model)
    {
        var running = Query(c, tx, "SELECT id FROM jobs WHERE model = $m AND status = 'running'", r => Guid.Parse(r.GetString(0)), ("$m", model));
        Execute(c, tx, "UPDATE jobs SET status = 'cancelled', finished_at = $now, updated_at = $now WHERE model = $m AND status IN ('queued', 'running')",
            ("$m", model), ("$now", Timestamp(DateTimeOffset.UtcNow)));
        return running;
    }

    // ---- live progress of running jobs ----

    public void StartLive(Guid id) => _live[id] = new LiveProgress();

    public void ReportEpoch(Guid id, int epoch, double trainLoss, double validationLoss)
    {
        if (_live.TryGetValue(id, out var live)) live.Add(epoch, trainLoss, validationLoss);
    }

    /// <summary>Writes the latest epoch of a running job (throttled by the caller).</summary>
    public void FlushProgress(Guid id)
    {
        if (!_live.TryGetValue(id, out var live)) return;
        var (epoch, train, validation) = live.Latest();
        using var c = database.Connect();
        Execute(c, null, "UPDATE jobs SET epoch = $epoch, train_loss = $train, validation_loss = $validation, updated_at = $now WHERE id = $id AND status = 'running'",
            ("$id", id.ToString()), ("$epoch", epoch), ("$train", train), ("$validation", validation), ("$now", Timestamp(DateTimeOffset.UtcNow)));
    }

    public void EndLive(Guid id) => _live.TryRemove(id, out _);

    private TrainingJobRecord Overlay(TrainingJobRecord job, bool includeLossCurve)
    {
        if (job.Status != TrainingJobStatus.Running || !_live.TryGetValue(job.Id, out var live)) return job;
        var (epoch, train, validation) = live.Latest();
        if (epoch == 0) return job;
        return job with { Epoch = epoch, TrainLoss = train, ValidationLoss = validation, LossCurve = includeLossCurve ? live.Curve() : null };
    }

    private bool Finish(Guid id, string status, string? error)
    {
        var live = _live.TryRemove(id, out var l) ? l : null;
        var (epoch, train, validation) = live?.Latest() ?? (0, null, null);
        using var c = database.Connect();
        var sql = "UPDATE jobs SET status = $status, error = $error, finished_at = $now, updated_at = $now"
            + (live is null ? "" : ", epoch = $epoch, train_loss = $train, validation_loss = $validation, loss_curve = $curve")
            + " WHERE id = $id AND status = 'running'";
        return Execute(c, null, sql, ("$id", id.ToString()), ("$status", status), ("$error", error), ("$now", Timestamp(DateTimeOffset.UtcNow)),
            ("$epoch", epoch), ("$train", train), ("$validation", validation),
            ("$curve", live is null ? null : JsonSerializer.Serialize(live.Curve(), ModelRegistry.Json))) == 1;
    }

    private bool Transition(Guid id, string from, string set)
    {
        using var c = database.Connect();
        return Execute(c, null, $"UPDATE jobs SET {set}, updated_at = $now WHERE id = $id AND status = '{from}'",
            ("$id", id.ToString()), ("$now", Timestamp(DateTimeOffset.UtcNow))) == 1;
    }

    private static string Select(bool includeLossCurve) =>
        "SELECT id, model, status, epoch, epochs, train_loss, validation_loss, best_epoch, version, error, created_at, started_at, finished_at, updated_at, attempts"
        + (includeLossCurve ? ", loss_curve" : "") + " FROM jobs";

    private static TrainingJobRecord Read(SqliteDataReader r, bool includeLossCurve) => new(
        Guid.Parse(r.GetString(0)), r.GetString(1), ModelRegistry.ParseEnum<TrainingJobStatus>(r.GetString(2)),
        r.GetInt32(3), r.GetInt32(4), GetDoubleOrNull(r, 5), GetDoubleOrNull(r, 6), GetInt32OrNull(r, 7), GetInt32OrNull(r, 8),
        GetStringOrNull(r, 9), ParseTimestamp(r.GetString(10)), GetTimestampOrNull(r, 11), GetTimestampOrNull(r, 12), ParseTimestamp(r.GetString(13)),
        includeLossCurve && GetStringOrNull(r, 15) is { } curve ? JsonSerializer.Deserialize<LossCurve>(curve, ModelRegistry.Json) : null,
        r.GetInt32(14));

    internal static string StatusText(TrainingJobStatus status) => ModelRegistry.Enum(status);

    /// <summary>Per-epoch losses of a running job; written by its training thread, read by requests.</summary>
    private sealed class LiveProgress
    {
        private readonly Lock _lock = new();
        private readonly List<double?> _train = [], _validation = [];
        private int _epoch;

        public void Add(int epoch, double train, double validation)
        {
            lock (_lock)
            {
                _epoch = epoch;
                _train.Add(Finite.OrNull(train));
                _validation.Add(Finite.OrNull(validation));
            }
        }

        public (int Epoch, double? Train, double? Validation) Latest()
        {
            lock (_lock) return _epoch == 0 ? (0, null, null) : (_epoch, _train[^1], _validation[^1]);
        }

        public LossCurve Curve()
        {
            lock (_lock) return new LossCurve(_train.ToArray(), _validation.ToArray());
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Infrastructure;
using System.Data.Common;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// Models, versions and aliases. Writes are serialised by one lock and commit the weights file before the row, so
/// a crash never leaves a visible version without its weights; reads take no lock. Loaded models are cached per
/// (model, version) in <see cref="ModelCache"/>, always as loaded from the weights file (so they hold only what inference
/// needs, never a trainer's buffers); a version whose weights are missing or altered is marked unavailable instead of failing the service.
/// </summary>
public sealed partial class ModelRegistry(IRegistryDatabase database, IWeightsStore weights, ModelCache cache, ServiceMetrics metrics, ILogger<ModelRegistry> logger,
    IEnumerable<IDefaultVersionFilter> defaultFilters)
{
    internal static readonly JsonSerializerOptions Json = CreateJsonOptions();

    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<(string Model, int Version), UnavailableMark> _unavailable = new();
    private readonly VersionLookupCache _lookups = new();

    public bool IsOpen { get; private set; }

    /// <summary>Creates the schema, removes stray files and verifies every version's weights file.</summary>
    public void Open()
    {
        metrics.OnCollect(() =>
        {
            metrics.ModelCacheSize.Set(cache.Count);
            metrics.UnavailableVersions.Set(_unavailable.Count);
        });
        cache.Evicted += () => metrics.ModelCacheEvictions.WithLabels("budget").Inc();
        database.Initialize();
        using var connection = database.Connect();
        var versions = Query(connection, null, SelectVersion, ReadVersion);
        var referenced = versions.Select(v => v.WeightsSha256).ToHashSet(StringComparer.Ordinal);
        var removed = weights.RemoveStray(referenced, connection);
        if (removed > 0)
            logger.LogInformation("Removed {Count} weights no version refers to: registrations a stop interrupted (their jobs run again) " +
                "or, after damage to the database, versions it no longer holds", removed);

        foreach (var v in versions)
        {
            // A version whose file another one's check found at fault is marked already.
            if (!_unavailable.ContainsKey((v.Model, v.Version)) && weights.Check(v.WeightsSha256, v.WeightsSize) is { } problem)
                MarkUnavailable(v, problem, weightsAtFault: true);
        }
        logger.LogInformation("Registry open on {Provider} at {Location}: {Versions} versions, {Unavailable} unavailable",
            database.Provider, database.Location, versions.Count, _unavailable.Count);
        IsOpen = true;
    }

    // ---- reads ----

    public IReadOnlyList<ModelRecord> ListModels()
    {
        using var c = database.Connect();
        return Query(c, null, "SELECT name, created_at FROM models ORDER BY name", ReadModel);
    }

    public ModelRecord? GetModel(string name)
    {
        using var c = database.Connect();
        return Query(c, null, "SELECT name, created_at FROM models WHERE name = @name", ReadModel, ("@name", name)).FirstOrDefault();
    }

    /// <summary>
    /// The model name a mistyped <paramref name="name"/> most likely meant (a letter off, two neighbours swapped, another
    /// case), for a 404's "did you mean"; null when none is that close. Reads only names of about its length, the first
    /// <see cref="NearestNameCandidates"/> of them in name order (the primary key's), so a 404's cost is bounded however many
    /// models the registry holds.
    /// </summary>
    public string? NearestModelName(string name)
    {
        if (!Names.IsValid(name)) return null;
        var reach = Math.Clamp(name.Length / 3, 1, 2);
        using var c = database.Connect();
        var candidates = Query(c, null, $"SELECT name FROM models WHERE length(name) BETWEEN @shortest AND @longest ORDER BY name LIMIT {NearestNameCandidates}",
            r => r.GetString(0), ("@shortest", name.Length - reach), ("@longest", name.Length + reach));
        return EditDistance.Nearest(candidates, name, reach);
    }

    /// <summary>The most names <see cref="NearestModelName"/> compares.</summary>
    public const int NearestNameCandidates = 1_000;

    public IReadOnlyList<VersionRecord> ListVersions(string? model = null)
    {
        using var c = database.Connect();
        return model is null
            ? Query(c, null, SelectVersion + " ORDER BY model, version", ReadVersion)
            : Query(c, null, SelectVersion + " WHERE model = @model ORDER BY version", ReadVersion, ("@model", model));
    }

    public VersionRecord? GetVersion(string model, int version)
    {
        using var c = database.Connect();
        return Query(c, null, SelectVersion + " WHERE model = @model AND version = @version", ReadVersion, ("@model", model), ("@version", version)).FirstOrDefault();
    }

    public IReadOnlyList<AliasRecord> ListAliases(string? model = null)
    {
        using var c = database.Connect();
        const string select = "SELECT model, alias, version, updated_at FROM aliases";
        return model is null
            ? Query(c, null, select + " ORDER BY model, alias", ReadAlias)
            : Query(c, null, select + " WHERE model = @model ORDER BY alias", ReadAlias, ("@model", model));
    }

    /// <summary>
    /// The version a forecast or download should use: the given version, the alias's target, or else the newest
    /// available version (so one broken newest version does not take the whole model offline) that no
    /// <see cref="IDefaultVersionFilter"/> holds back (a challenger that has not won).
    /// </summary>
    public VersionLookup Resolve(string model, int? version, string? alias)
    {
        // Another replica may write a shared database at any time, so there every lookup asks it.
        if (database.IsShared) return ResolveInDatabase(model, version, alias);
        if (_lookups.TryGet(model, version, alias, out var cached)) return new(VersionLookupStatus.Found, cached);
        var generation = _lookups.Generation;
        var lookup = ResolveInDatabase(model, version, alias);
        if (lookup.Version is { } found) _lookups.Store(model, version, alias, generation, found);
        return lookup;
    }

    private VersionLookup ResolveInDatabase(string model, int? version, string? alias)
    {
        if (GetModel(model) is null) return new(VersionLookupStatus.ModelNotFound, null, NearestModelName(model));
        if (version is { } v)
            return GetVersion(model, v) is { } found ? new(VersionLookupStatus.Found, found) : new(VersionLookupStatus.VersionNotFound, null, PendingVersion(model, v));
        if (alias is not null)
        {
            var target = ListAliases(model).FirstOrDefault(a => a.Alias == alias);
            if (target is null) return new(VersionLookupStatus.AliasNotFound, null);
            return GetVersion(model, target.Version) is { } aliased ? new(VersionLookupStatus.Found, aliased) : new(VersionLookupStatus.VersionNotFound, null);
        }
        var versions = ListVersions(model);
        if (versions.Count == 0) return new(VersionLookupStatus.NoVersions, null, NoVersionsReason(model));
        return new(VersionLookupStatus.Found, DefaultOf(model, versions)!);
    }

    /// <summary>
    /// Of a model's <paramref name="versions"/> (oldest first), the one a request naming no version or alias gets: the newest
    /// available one a filter does not hold back; failing that the newest available one, then the newest. Null when none.
    /// </summary>
    public VersionRecord? DefaultOf(string model, IReadOnlyList<VersionRecord> versions)
    {
        if (versions.Count == 0) return null;
        var held = new HashSet<int>();
        foreach (var filter in defaultFilters) held.UnionWith(filter.HeldBack(model, versions));
        return versions.LastOrDefault(x => !held.Contains(x.Version) && UnavailableReason(x.Model, x.Version) is null)
            ?? versions.LastOrDefault(x => UnavailableReason(x.Model, x.Version) is null) ?? versions[^1];
    }

    /// <summary>Forgets the cached default versions: what a <see cref="IDefaultVersionFilter"/> holds back has changed.</summary>
    public void DefaultsChanged() => _lookups.Invalidate();

    /// <summary>
    /// For a version number the model has not reached yet (never one deleted) that its queued or running training jobs may
    /// make, the k-th after the next number for the k-th of them in queue order: that job; else null.
    /// </summary>
    private string? PendingVersion(string model, int version)
    {
        using var c = database.Connect();
        var next = NextVersion(c, model);
        if (version < next) return null;
        var pending = Query(c, null, "SELECT id, status FROM jobs WHERE model = @model AND status IN ('queued', 'running') ORDER BY seq",
            r => (Id: r.GetString(0), Status: r.GetString(1)), ("@model", model));
        if (version - next >= pending.Count) return null;
        var job = pending[(int)(version - next)];
        return $"its training job {job.Id} is {job.Status}; GET /training-jobs/{job.Id} follows it.";
    }

    /// <summary>The number a model's next version will get (numbers are never reused); 1 for a model not stored.</summary>
    private static long NextVersion(System.Data.Common.DbConnection c, string model) =>
        Convert.ToInt64(Scalar(c, null, "SELECT next_version FROM models WHERE name = @model", ("@model", model)) ?? 1L);

    /// <summary>What became of a model without versions: its newest training job's state, or none run.</summary>
    private string NoVersionsReason(string model)
    {
        using var c = database.Connect();
        var job = Query(c, null, "SELECT id, status, error FROM jobs WHERE model = @model ORDER BY seq DESC LIMIT 1",
            r => (Id: r.GetString(0), Status: r.GetString(1), Error: r.IsDBNull(2) ? null : r.GetString(2)), ("@model", model)).FirstOrDefault();
        var train = $"POST /models/{model}/training-jobs trains one, POST /models/{model}/versions registers one";
        // A model's next number says whether it ever had a version (numbers are never reused).
        var hadVersions = NextVersion(c, model) > 1;
        return job.Status switch
        {
            null when hadVersions => $"its versions were deleted; {train}.",
            null => $"none has been trained or registered; {train}.",
            "queued" or "running" => $"its training job {job.Id} is {job.Status}; GET /training-jobs/{job.Id} follows it.",
            "failed" => $"its last training job {job.Id} failed ({job.Error?.TrimEnd('.')}); {train}.",
            "cancelled" => $"its last training job {job.Id} was cancelled; {train}.",
            _ => $"its versions were deleted; {train}.",
        };
    }

    // ---- writes ----

    /// <summary>Creates the model row if needed (a model exists from its first training job or registration).</summary>
    public void EnsureModel(string name)
    {
        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, name);
            Execute(c, tx, InsertModel, ("@name", name), ("@now", Timestamp(DateTimeOffset.UtcNow)));
            tx.Commit();
        }
    }

    /// <summary>
    /// Stores a new version: weights file first (atomic), then in one transaction the model row, the version row and
    /// whatever <paramref name="alsoInTransaction"/> writes (the training job's completion). When that callback returns
    /// false (the job was cancelled meanwhile) nothing is committed and null is returned.
    /// </summary>
    public VersionRecord? AddVersion(NewVersion request, Func<DbConnection, DbTransaction, int, bool>? alsoInTransaction = null)
    {
        // A classifier has no window, horizon or quantiles; its features are standardised over the training part (z-scores).
        var (inputWindow, horizon, quantiles, scaling, architecture) = request.Trained switch
        {
            ForecastModel f => (f.InputWindow, f.Horizon, f.Quantiles.ToArray(), f.Scaling, ArchitectureInfo.Of(f)),
            SequenceClassifier c => (0, 0, Array.Empty<float>(), ScalingMode.SeriesZScore, ArchitectureInfo.Of(c)),
            var other => throw new ArgumentException($"Cannot store a {other.GetType().Name}.", nameof(request)),
        };
        byte[] content;
        using (var buffer = new MemoryStream())
        {
            request.Trained.Save(buffer);
            content = buffer.ToArray();
        }

        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, request.Model);
            var (sha, size) = weights.Write(content, c, tx);
            try
            {
                var now = DateTimeOffset.UtcNow;
                Execute(c, tx, InsertModel, ("@name", request.Model), ("@now", Timestamp(now)));
                var number = Convert.ToInt32(Scalar(c, tx, "UPDATE models SET next_version = next_version + 1 WHERE name = @name RETURNING next_version - 1", ("@name", request.Model)));
                var record = new VersionRecord(
                    request.Model, number, now, request.Source, request.JobId, inputWindow, horizon, quantiles, scaling,
                    architecture, request.Training, request.Metrics, request.DataFingerprint, sha, size);
                Execute(c, tx, """
                    INSERT INTO versions (model, version, created_at, source, job_id, input_window, horizon, quantiles, scaling, architecture, training, metrics, data_fingerprint, weights_sha256, weights_size)
                    VALUES (@model, @version, @created, @source, @job, @iw, @h, @q, @scaling, @arch, @training, @metrics, @fingerprint, @sha, @size)
                    """,
                    ("@model", record.Model), ("@version", record.Version), ("@created", Timestamp(now)), ("@source", Enum(record.Source)),
                    ("@job", record.JobId?.ToString()), ("@iw", record.InputWindow), ("@h", record.Horizon),
                    ("@q", JsonSerializer.Serialize(record.Quantiles, Json)), ("@scaling", Enum(record.Scaling)),
                    ("@arch", JsonSerializer.Serialize(record.Architecture, Json)),
                    ("@training", record.Training is null ? null : JsonSerializer.Serialize(record.Training, Json)),
                    ("@metrics", record.Metrics is null ? null : JsonSerializer.Serialize(record.Metrics, Json)),
                    ("@fingerprint", record.DataFingerprint), ("@sha", sha), ("@size", size));

                if (alsoInTransaction is not null && !alsoInTransaction(c, tx, number))
                {
                    tx.Rollback();
                    weights.DeleteIfUnreferenced(sha, c);
                    return null;
                }
                // The job's success commits with the version and can be read at once: no lookup is served until the cache knows.
                _lookups.BeginWrite();
                try { tx.Commit(); }
                finally { _lookups.EndWrite(); }
                // Not cached: the trained model may still hold its trainer's buffers; the first forecast loads it from the file.
                cache.Remove((record.Model, record.Version));
                _unavailable.TryRemove((record.Model, record.Version), out _);
                return record;
            }
            catch
            {
                // Not stored (a full disk refusing the commit): weights no version refers to go too, or they would take the
                // space until the next start's sweep, and keep a full disk full after the operator freed what they could.
                try { tx.Rollback(); } catch (Exception) { } // already rolled back, or the connection is lost
                try { weights.DeleteIfUnreferenced(sha, c); } catch (Exception) { } // then the next start's sweep removes them
                throw;
            }
        }
    }

    /// <summary>A row referring to one that is gone: PostgreSQL's SQLSTATE 23503, SQLite's extended code 787.</summary>
    static bool IsForeignKeyViolation(DbException e) =>
        e.SqlState == "23503" || e is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 787 };

    public AliasRecord? SetAlias(string model, string alias, int version)
    {
        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, model);
            var exists = Scalar(c, tx, "SELECT 1 FROM versions WHERE model = @m AND version = @v", ("@m", model), ("@v", version)) is not null;
            if (!exists) return null;
            var now = DateTimeOffset.UtcNow;
            try
            {
                Execute(c, tx, """
                    INSERT INTO aliases (model, alias, version, updated_at) VALUES (@m, @a, @v, @now)
                    ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
                    """, ("@m", model), ("@a", alias), ("@v", version), ("@now", Timestamp(now)));
                tx.Commit();
            }
            catch (DbException e) when (IsForeignKeyViolation(e))
            {
                // Another replica deleted the version between the check and the insert: it is not found, not a server error.
                return null;
            }
            _lookups.Invalidate();
            return new AliasRecord(model, alias, version, now);
        }
    }

    // ---- helpers ----

    private void Forget(string model, int version)
    {
        _lookups.Invalidate();
        if (cache.Remove((model, version))) metrics.ModelCacheEvictions.WithLabels("deleted").Inc();
        _unavailable.TryRemove((model, version), out _);
    }

    /// <summary>
    /// Holds <paramref name="model"/>'s writes on other replicas until <paramref name="tx"/> ends (<see cref="SqlDialect.LockModel"/>).
    /// Without it, a version added while another replica deleted the model had read its next number before the delete's mark
    /// committed and begun again at 1, and a delete meeting a version added meanwhile had answered 500 (a review).
    /// </summary>
    private void LockModel(DbConnection c, DbTransaction tx, string model)
    {
        if (database.Dialect.LockModel is { } sql) Scalar(c, tx, sql, ("@lock", "model:" + model));
    }

    /// <summary>Creates a model row unless it exists; a name used before continues the old model's version numbers.</summary>
    private const string InsertModel = """
        INSERT INTO models (name, created_at, next_version)
        VALUES (@name, @now, COALESCE((SELECT next_version FROM version_marks WHERE model = @name), 1))
        ON CONFLICT (name) DO NOTHING
        """;

    private const string SelectVersion = """
        SELECT model, version, created_at, source, job_id, input_window, horizon, quantiles, scaling, architecture, training, metrics, data_fingerprint, weights_sha256, weights_size
        FROM versions
        """;

    private static VersionRecord ReadVersion(DbDataReader r) => new(
        r.GetString(0), r.GetInt32(1), ParseTimestamp(r.GetString(2)),
        ParseEnum<VersionSource>(r.GetString(3)),
        GetStringOrNull(r, 4) is { } job ? Guid.Parse(job) : null,
        r.GetInt32(5), r.GetInt32(6),
        JsonSerializer.Deserialize<float[]>(r.GetString(7), Json) ?? [],
        ParseEnum<ScalingMode>(r.GetString(8)),
        JsonSerializer.Deserialize<ArchitectureInfo>(r.GetString(9), Json)!,
        GetStringOrNull(r, 10) is { } t ? JsonSerializer.Deserialize<TrainingSettings>(t, Json) : null,
        GetStringOrNull(r, 11) is { } m ? JsonSerializer.Deserialize<VersionMetrics>(m, Json) : null,
        GetStringOrNull(r, 12), r.GetString(13), r.GetInt64(14));

    private static ModelRecord ReadModel(DbDataReader r) => new(r.GetString(0), ParseTimestamp(r.GetString(1)));

    private static AliasRecord ReadAlias(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt32(2), ParseTimestamp(r.GetString(3)));

    internal static string Enum<T>(T value) where T : struct, System.Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    internal static T ParseEnum<T>(string value) where T : struct, System.Enum => System.Enum.Parse<T>(value, ignoreCase: true);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.ConfigureJson(options);
        return options;
    }
}

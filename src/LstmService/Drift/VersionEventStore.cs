using System.Data.Common;
using System.Text.Json;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.Extensions.Options;
using LstmService.Streams;
using static LstmService.Registry.Sql;

namespace LstmService.Drift;

/// <summary>
/// The monitoring decisions of versions (table version_events, both providers). A version holds at most one decision of each
/// kind per drift episode (a unique index): the insert that gets it decides, so two appends or two replicas flagging the same
/// drift queue one challenger, not two.
/// </summary>
public sealed class VersionEventStore
{
    private readonly IRegistryDatabase database;

    // Each version's latest drift episode as last read, and when: the drift rule reads it after every append, and that read
    // had cost 5% of the appends a second (tools/stream-load.sh). This process's own flags and clears replace it; on a
    // shared database another replica's are seen within SharedEpisodeRefreshMilliseconds.
    // A read that began before a flag or clear of this process is not kept (the generation moved meanwhile).
    private readonly Dictionary<(string Model, int Version), (DriftEpisode? Episode, long ReadAt)> _episodes = new();
    private readonly Dictionary<(string Model, int Version), int> _generations = new();
    private readonly Lock _episodeLock = new();

    /// <summary>How long a version's episode as read stays current with a shared database, whose other replicas flag and clear too.</summary>
    public const int SharedEpisodeRefreshMilliseconds = 2_000;

    private readonly IOptions<StreamOptions> streamOptions;
    private readonly TimeProvider time;

    public VersionEventStore(IRegistryDatabase database, ServiceMetrics metrics, IOptions<StreamOptions> streamOptions, TimeProvider time)
    {
        this.database = database;
        this.streamOptions = streamOptions;
        this.time = time;
        metrics.OnCollect(() => metrics.DriftingVersions.Set(Drifting()));
    }

    /// <summary>Records <paramref name="decision"/>; false when the version already holds one of its kind (nothing written).</summary>
    public bool TryAdd(string model, int version, VersionDecision decision)
    {
        using var connection = database.Connect();
        try
        {
            return Execute(connection, null,
                "INSERT INTO version_events (model, version, kind, episode, at, job_id, detail) VALUES (@model, @version, @kind, @episode, @at, @job, @detail) ON CONFLICT DO NOTHING",
                ("@model", model), ("@version", version), ("@kind", decision.Kind), ("@episode", decision.Episode), ("@at", Timestamp(decision.At)),
                ("@job", decision.JobId?.ToString("D")), ("@detail", JsonSerializer.Serialize(decision, StreamStore.Json))) == 1;
        }
        finally
        {
            // Inserted here, or already by another append or replica: either way the episode as read is out of date.
            if (decision.Kind is "drift" or "cleared") ForgetEpisode(model, version);
        }
    }

    private void ForgetEpisode(string model, int version)
    {
        lock (_episodeLock)
        {
            _generations[(model, version)] = _generations.GetValueOrDefault((model, version)) + 1;
            _episodes.Remove((model, version));
            _drifting = null;
        }
    }

    /// <summary>Rewrites a decision of the version (a challenger the full queue refused).</summary>
    public void Update(string model, int version, VersionDecision decision)
    {
        using var connection = database.Connect();
        Execute(connection, null, "UPDATE version_events SET job_id = @job, detail = @detail WHERE model = @model AND version = @version AND kind = @kind AND episode = @episode",
            ("@job", decision.JobId?.ToString("D")), ("@detail", JsonSerializer.Serialize(decision, StreamStore.Json)),
            ("@model", model), ("@version", version), ("@kind", decision.Kind), ("@episode", decision.Episode));
    }

    /// <summary>
    /// The version's latest drift episode (its flag, and what cleared it if anything did), or null before its first flag:
    /// read after every append of a stream that has enough scores, so it reads two short rows, not the decisions' recent values.
    /// </summary>
    public DriftEpisode? LatestEpisode(string model, int version)
    {
        var key = (model, version);
        long now = Environment.TickCount64;
        int generation;
        lock (_episodeLock)
        {
            if (_episodes.TryGetValue(key, out var known) && (!database.IsShared || now - known.ReadAt < SharedEpisodeRefreshMilliseconds))
                return known.Episode;
            generation = _generations.GetValueOrDefault(key);
        }
        var episode = ReadLatestEpisode(model, version);
        lock (_episodeLock)
            if (_generations.GetValueOrDefault(key) == generation) _episodes[key] = (episode, now);
        return episode;
    }

    private DriftEpisode? ReadLatestEpisode(string model, int version)
    {
        using var connection = database.Connect();
        // A retrain's detail holds each stream's recent values: only the small kinds are read.
        return DriftEpisode.Latest(Query(connection, null,
            "SELECT detail FROM version_events WHERE model = @model AND version = @version AND kind IN ('drift', 'cleared', 'challenge')",
            Read, ("@model", model), ("@version", version)));
    }

    /// <summary>
    /// Versions whose latest drift episode is open and that a stream still reads (appended to within Streams:IdleDays):
    /// lstm_model_versions_drifting. A version whose streams are gone gets no more scores, so its episode cannot clear; counted,
    /// it had held the alert on for good. Read at most every 2 s however often /metrics is scraped.
    /// </summary>
    public int Drifting()
    {
        long now = Environment.TickCount64;
        if (_drifting is { } last && now - last.ReadAt < SharedEpisodeRefreshMilliseconds) return last.Count;
        using var connection = database.Connect();
        var rows = Query(connection, null, """
            SELECT e.model, e.version, e.detail FROM version_events e
            WHERE e.kind IN ('drift', 'cleared', 'challenge')
              AND EXISTS (SELECT 1 FROM streams s WHERE s.model = e.model AND s.version = e.version AND s.updated_at >= @since)
            """, r => (Key: (r.GetString(0), r.GetInt32(1)), Decision: Read(r, 2)),
            ("@since", Timestamp(time.GetUtcNow().AddDays(-streamOptions.Value.IdleDays))));
        int count = rows.GroupBy(r => r.Key).Count(g => DriftEpisode.Latest(g.Select(r => r.Decision)) is { Open: true });
        _drifting = new DriftingCount(count, now);
        return count;
    }

    private sealed record DriftingCount(int Count, long ReadAt);

    // The gauge's last count; this process's own flags and clears drop it.
    private volatile DriftingCount? _drifting;

    /// <summary>Deletes a model's decisions, inside the transaction that deletes the model (its versions are gone with it).</summary>
    public static void DeleteModelEvents(DbConnection connection, DbTransaction tx, string model) =>
        Execute(connection, tx, "DELETE FROM version_events WHERE model = @model", ("@model", model));

    /// <summary>How many challengers the version's drifts have queued (retrain decisions that named a job).</summary>
    public int Challengers(string model, int version)
    {
        using var connection = database.Connect();
        return Convert.ToInt32(Scalar(connection, null,
            "SELECT COUNT(*) FROM version_events WHERE model = @model AND version = @version AND kind = 'retrain' AND job_id IS NOT NULL",
            ("@model", model), ("@version", version)));
    }

    /// <summary>A version's decisions, oldest first.</summary>
    public List<VersionDecision> List(string model, int version)
    {
        using var connection = database.Connect();
        return Query(connection, null, "SELECT detail FROM version_events WHERE model = @model AND version = @version ORDER BY seq", Read,
            ("@model", model), ("@version", version));
    }

    /// <summary>The version whose "retrain" decision queued <paramref name="job"/>, with that decision; null for any other job.</summary>
    public (int Version, VersionDecision Decision)? FindRetrain(string model, Guid job)
    {
        using var connection = database.Connect();
        return Query(connection, null, "SELECT version, detail FROM version_events WHERE job_id = @job AND model = @model AND kind = 'retrain'",
            r => ((int Version, VersionDecision Decision)?)(r.GetInt32(0), Read(r, 1)), ("@job", job.ToString("D")), ("@model", model)).FirstOrDefault();
    }

    /// <summary>
    /// The jobs the model's "retrain" decisions queued (its challengers' jobs) and the challengers that won their comparison,
    /// read from either side's record (the champion's is written first, so a review cut off before the challenger's still
    /// counts); a decision stored before <see cref="VersionDecision.Won"/> won where its summary says so.
    /// </summary>
    public (HashSet<Guid> RetrainJobs, HashSet<int> Winners) Challenges(string model)
    {
        using var connection = database.Connect();
        var jobs = new HashSet<Guid>();
        var winners = new HashSet<int>();
        foreach (var (kind, job, detail) in Query(connection, null,
            // A retrain's detail holds each stream's recent values: only its job is read.
            "SELECT kind, job_id, CASE WHEN kind = 'retrain' THEN NULL ELSE detail END FROM version_events WHERE model = @model AND kind IN ('retrain', 'challenge', 'trial')",
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), ("@model", model)))
        {
            if (kind == "retrain") { if (Guid.TryParse(job, out var id)) jobs.Add(id); continue; }
            var decision = JsonSerializer.Deserialize<VersionDecision>(detail!, StreamStore.Json)!;
            if (decision.Challenger is { } challenger && DriftEpisode.Won(decision))
                winners.Add(challenger);
        }
        return (jobs, winners);
    }

    static VersionDecision Read(DbDataReader r) => Read(r, 0);

    static VersionDecision Read(DbDataReader r, int i) => JsonSerializer.Deserialize<VersionDecision>(r.GetString(i), StreamStore.Json)!;
}

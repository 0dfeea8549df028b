using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using LstmService.Registry;
using static LstmService.Registry.Sql;

namespace LstmService.Streams;

/// <summary>
/// Streams in the registry's database (SQLite or PostgreSQL, the same statements). A stream's row carries a revision: an
/// update names the revision it read and changes nothing when another request (or replica) wrote in between, so two
/// appends never lose a value; the caller reads again and retries. The scores and anomalies of an append commit with it.
/// </summary>
public sealed class StreamStore(IRegistryDatabase database) : IDisposable
{
    /// <summary>The document's JSON: doubles and floats round-trip exactly (the state must), NaN marks a missing value.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    const string Columns = "id, model, version, series_id, created_at, updated_at, revision, length, document";

    // Single-process SQLite: appends' writes share transactions on one thread (see GroupCommitWriter); null on PostgreSQL.
    private readonly GroupCommitWriter<PendingUpdate>? _sqliteWriter = database.IsShared ? null
        : new GroupCommitWriter<PendingUpdate>(database.Connect, Write, "stream writes");

    private sealed record PendingUpdate(StreamRecord Updated, long Revision, IReadOnlyList<ScoreRecord> Scores, IReadOnlyList<AnomalyRecord> Anomalies);

    public void Insert(StreamRecord stream)
    {
        using var connection = database.Connect();
        Execute(connection, null, $"INSERT INTO streams ({Columns}) VALUES (@id, @model, @version, @series, @created, @updated, @revision, @length, @document)",
            ("@id", stream.Id), ("@model", stream.Model), ("@version", stream.Version), ("@series", stream.SeriesId),
            ("@created", Timestamp(stream.CreatedAt)), ("@updated", Timestamp(stream.UpdatedAt)), ("@revision", stream.Revision),
            ("@length", stream.Length), ("@document", JsonSerializer.Serialize(stream.Document, Json)));
    }

    public StreamRecord? Get(string id)
    {
        using var connection = database.Connect();
        return Query(connection, null, $"SELECT {Columns} FROM streams WHERE id = @id", Read, ("@id", id)).FirstOrDefault();
    }

    /// <summary>
    /// Writes <paramref name="updated"/> over the row if it is still at <paramref name="revision"/>, with the scores and anomalies
    /// of the values appended, in one transaction (on SQLite shared with the other appends waiting then); false (nothing
    /// written) when another writer came first.
    /// </summary>
    public Task<bool> TryUpdateAsync(StreamRecord updated, long revision, IReadOnlyList<ScoreRecord> scores, IReadOnlyList<AnomalyRecord> anomalies)
    {
        var update = new PendingUpdate(updated, revision, scores, anomalies);
        if (_sqliteWriter is not null) return _sqliteWriter.WriteAsync(update);
        // PostgreSQL locks the one row: replicas and requests write different streams side by side.
        using var connection = database.Connect();
        using var tx = connection.BeginTransaction();
        bool written = Write(connection, tx, update);
        tx.Commit();
        return Task.FromResult(written);
    }

    private static bool Write(DbConnection connection, DbTransaction tx, PendingUpdate update)
    {
        var (updated, revision, scores, anomalies) = update;
        int changed = Execute(connection, tx,
            "UPDATE streams SET revision = @next, length = @length, updated_at = @updated, document = @document WHERE id = @id AND revision = @revision",
            ("@next", updated.Revision), ("@length", updated.Length), ("@updated", Timestamp(updated.UpdatedAt)),
            ("@document", JsonSerializer.Serialize(updated.Document, Json)), ("@id", updated.Id), ("@revision", revision));
        if (changed == 0) return false;
        string at = Timestamp(updated.UpdatedAt);
        foreach (var s in scores)
            Execute(connection, tx, "INSERT INTO stream_scores (stream_id, model, version, scored_at, value_index, step, absolute_error, squared_error, scaled_error, smape, hits) " +
                "VALUES (@stream, @model, @version, @at, @index, @step, @abs, @sq, @scaled, @smape, @hits)",
                ("@stream", updated.Id), ("@model", updated.Model), ("@version", updated.Version), ("@at", at), ("@index", s.Index), ("@step", s.Step),
                ("@abs", s.AbsoluteError), ("@sq", s.SquaredError), ("@scaled", s.ScaledError), ("@smape", s.Smape), ("@hits", s.Hits));
        foreach (var a in anomalies)
            Execute(connection, tx, "INSERT INTO stream_anomalies (stream_id, model, version, flagged_at, value_index, step, value, lower_bound, upper_bound) " +
                "VALUES (@stream, @model, @version, @at, @index, @step, @value, @lower, @upper)",
                ("@stream", updated.Id), ("@model", updated.Model), ("@version", updated.Version), ("@at", at), ("@index", a.Index), ("@step", a.Step),
                ("@value", a.Value), ("@lower", a.Lower), ("@upper", a.Upper));
        return true;
    }

    public void Dispose() => _sqliteWriter?.Dispose();

    // Every transaction here touches the tables in the schema's order (streams, stream_scores, stream_anomalies): a replica
    // creating the schema locks them in that order too, so a sweep at another replica's start cannot deadlock with it.

    public bool Delete(string id)
    {
        using var connection = database.Connect();
        using var tx = connection.BeginTransaction();
        int deleted = Execute(connection, tx, "DELETE FROM streams WHERE id = @id", ("@id", id));
        Execute(connection, tx, "DELETE FROM stream_scores WHERE stream_id = @id", ("@id", id));
        Execute(connection, tx, "DELETE FROM stream_anomalies WHERE stream_id = @id", ("@id", id));
        tx.Commit();
        return deleted > 0;
    }

    /// <summary>Deletes the streams idle since before <paramref name="cutoff"/> with their anomalies, and every score older than it.</summary>
    public int PurgeIdle(DateTimeOffset cutoff)
    {
        using var connection = database.Connect();
        using var tx = connection.BeginTransaction();
        var before = ("@cutoff", (object?)Timestamp(cutoff));
        int deleted = Execute(connection, tx, "DELETE FROM streams WHERE updated_at < @cutoff", before);
        Execute(connection, tx, "DELETE FROM stream_scores WHERE scored_at < @cutoff", before);
        Execute(connection, tx, "DELETE FROM stream_anomalies WHERE NOT EXISTS (SELECT 1 FROM streams WHERE streams.id = stream_anomalies.stream_id)");
        tx.Commit();
        return deleted;
    }

    /// <summary>A version's streams (a drifting version's challenger trains on their recent values).</summary>
    public List<StreamRecord> VersionStreams(string model, int version)
    {
        using var connection = database.Connect();
        return Query(connection, null, $"SELECT {Columns} FROM streams WHERE model = @model AND version = @version ORDER BY created_at, id", Read,
            ("@model", model), ("@version", version));
    }

    /// <summary>The most recent <paramref name="limit"/> scores of a stream.</summary>
    public List<ScoreRecord> StreamScores(string id, int limit)
    {
        using var connection = database.Connect();
        return Query(connection, null, $"SELECT {ScoreColumns} FROM stream_scores WHERE stream_id = @id ORDER BY seq DESC LIMIT @limit", ReadScore,
            ("@id", id), ("@limit", limit));
    }

    /// <summary>The version's newest <paramref name="limit"/> scores over all its streams, newest first.</summary>
    public List<ScoreRecord> VersionScores(string model, int version, int limit)
    {
        using var connection = database.Connect();
        return Query(connection, null,
            $"SELECT {ScoreColumns} FROM stream_scores WHERE model = @model AND version = @version ORDER BY seq DESC LIMIT @limit",
            ReadScore, ("@model", model), ("@version", version), ("@limit", limit));
    }

    /// <summary>
    /// The version's newest <paramref name="limit"/> scores (with <paramref name="after"/>, only those stored after that seq)
    /// summed in the database from the index alone (stream_scores_window): the drift rule gets one row per append however long
    /// its window. With <paramref name="countValues"/>, the distinct values they score too, which reads the table's rows (a
    /// decision's and the monitoring's count; null without).
    /// </summary>
    public ScoreWindow VersionScoreWindow(string model, int version, int limit, long after = 0, bool countValues = false)
    {
        using var connection = database.Connect();
        string values = countValues ? "COUNT(DISTINCT stream_id || ':' || value_index)" : "NULL";
        string columns = countValues ? "scaled_error, seq, stream_id, value_index" : "scaled_error, seq";
        return Query(connection, null,
            $"SELECT COUNT(*), COALESCE(SUM(scaled_error), 0), {values}, COALESCE(MAX(seq), 0) FROM " +
            $"(SELECT {columns} FROM stream_scores WHERE model = @model AND version = @version AND seq > @after ORDER BY seq DESC LIMIT @limit) AS newest",
            r => new ScoreWindow(Convert.ToInt32(r.GetValue(0)), r.IsDBNull(2) ? null : Convert.ToInt32(r.GetValue(2)), Convert.ToDouble(r.GetValue(1)),
                Convert.ToInt64(r.GetValue(3))),
            ("@model", model), ("@version", version), ("@after", after), ("@limit", limit))[0];
    }

    /// <summary>The seq of the version's newest score (0 when it has none): where a judgment made now stops reading.</summary>
    public long NewestScore(string model, int version)
    {
        using var connection = database.Connect();
        return Scalar(connection, null, "SELECT MAX(seq) FROM stream_scores WHERE model = @model AND version = @version",
            ("@model", model), ("@version", version)) is { } seq and not DBNull ? Convert.ToInt64(seq) : 0;
    }

    public List<AnomalyRecord> StreamAnomalies(string id, int limit)
    {
        using var connection = database.Connect();
        return Query(connection, null, $"SELECT {AnomalyColumns} FROM stream_anomalies WHERE stream_id = @id ORDER BY seq DESC LIMIT @limit", ReadAnomaly,
            ("@id", id), ("@limit", limit));
    }

    /// <summary>
    /// How many streams appended to since <paramref name="since"/> read a version, and the ids of the oldest
    /// <paramref name="limit"/> of them, in the transaction that would delete the version (what refuses it). A stream idle
    /// longer is the hourly sweep's, as <see cref="VersionCounts"/> leaves it out too.
    /// </summary>
    public static (int Count, IReadOnlyList<string> First) VersionStreamIds(DbConnection connection, DbTransaction tx, string model, int version,
        DateTimeOffset since, int limit)
    {
        (string, object?)[] of = [("@model", model), ("@version", version), ("@since", Timestamp(since))];
        const string where = "FROM streams WHERE model = @model AND version = @version AND updated_at >= @since";
        var count = Convert.ToInt32(Scalar(connection, tx, $"SELECT COUNT(*) {where}", of));
        var oldest = count == 0 ? [] : Query(connection, tx, $"SELECT id {where} ORDER BY created_at, id LIMIT @limit", r => r.GetString(0), [.. of, ("@limit", limit)]);
        return (count, oldest);
    }

    /// <summary>
    /// Deletes every stream of a model with its scores and anomalies, inside the transaction that deletes the model (its
    /// versions are gone with it, so its streams could only answer that their version was deleted). On PostgreSQL the
    /// hourly sweep (<see cref="PurgeIdle"/>) may lock some of the same rows in another order: the deadlock PostgreSQL then
    /// breaks is a transient error, a 503 with Retry-After, and the model is deleted on the retry.
    /// </summary>
    public static void DeleteModelStreams(DbConnection connection, DbTransaction tx, string model)
    {
        Execute(connection, tx, "DELETE FROM streams WHERE model = @model", ("@model", model));
        Execute(connection, tx, "DELETE FROM stream_scores WHERE model = @model", ("@model", model));
        Execute(connection, tx, "DELETE FROM stream_anomalies WHERE model = @model", ("@model", model));
    }

    /// <summary>A version's open streams and the anomalies flagged since <paramref name="since"/>.</summary>
    public (int Streams, int Anomalies) VersionCounts(string model, int version, DateTimeOffset since)
    {
        using var connection = database.Connect();
        var streams = Convert.ToInt32(Scalar(connection, null, "SELECT COUNT(*) FROM streams WHERE model = @model AND version = @version",
            ("@model", model), ("@version", version)));
        var anomalies = Convert.ToInt32(Scalar(connection, null, "SELECT COUNT(*) FROM stream_anomalies WHERE model = @model AND version = @version AND flagged_at >= @since",
            ("@model", model), ("@version", version), ("@since", Timestamp(since))));
        return (streams, anomalies);
    }

    const string ScoreColumns = "value_index, step, absolute_error, squared_error, scaled_error, smape, hits, seq";
    const string AnomalyColumns = "stream_id, flagged_at, value_index, step, value, lower_bound, upper_bound";

    static ScoreRecord ReadScore(DbDataReader r) =>
        new(r.GetInt32(0), r.GetInt32(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), GetDoubleOrNull(r, 5), r.GetInt32(6), r.GetInt64(7));

    static AnomalyRecord ReadAnomaly(DbDataReader r) =>
        new(r.GetString(0), ParseTimestamp(r.GetString(1)), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6));

    static StreamRecord Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), ParseTimestamp(r.GetString(4)), ParseTimestamp(r.GetString(5)),
        r.GetInt64(6), r.GetInt32(7), JsonSerializer.Deserialize<StreamDocument>(r.GetString(8), Json)!);
}

using System.Data.Common;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

// Deletes: a model with its versions and aliases, one version, one alias. Each holds the model's writes on other replicas
// (LockModel) as adding a version does.
public sealed partial class ModelRegistry
{
    /// <summary>Deletes a model with its versions, aliases and unreferenced weights; <paramref name="alsoInTransaction"/> cancels its jobs.</summary>
    public bool DeleteModel(string name, Action<DbConnection, DbTransaction>? alsoInTransaction = null)
    {
        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, name);
            var shas = Query(c, tx, "SELECT DISTINCT weights_sha256 FROM versions WHERE model = @m", r => r.GetString(0), ("@m", name));
            var versions = Query(c, tx, "SELECT version FROM versions WHERE model = @m", r => r.GetInt32(0), ("@m", name));
            Execute(c, tx, "DELETE FROM aliases WHERE model = @m", ("@m", name));
            Execute(c, tx, "DELETE FROM versions WHERE model = @m", ("@m", name));
            Execute(c, tx, $"""
                INSERT INTO version_marks (model, next_version) SELECT name, next_version FROM models WHERE name = @m
                ON CONFLICT (model) DO UPDATE SET next_version = {database.Dialect.Greatest}(version_marks.next_version, excluded.next_version)
                """, ("@m", name));
            var deleted = Execute(c, tx, "DELETE FROM models WHERE name = @m", ("@m", name)) > 0;
            alsoInTransaction?.Invoke(c, tx);
            tx.Commit();
            _lookups.Invalidate();
            foreach (var v in versions) Forget(name, v);
            foreach (var sha in shas) weights.DeleteIfUnreferenced(sha, c);
            return deleted;
        }
    }

    /// <summary>
    /// Deletes one version. A version that aliases point to, or that <paramref name="readers"/> finds read by something
    /// else (streams: their count and the first ids), is refused (the aliases and readers are returned) rather than
    /// silently breaking clients that forecast through the alias or append to the streams. The readers are counted in the
    /// deletion's transaction, so a reader that is not found is one its deletion breaks only if it started meanwhile.
    /// </summary>
    public VersionDeletion DeleteVersion(string model, int version, Func<DbConnection, DbTransaction, (int Count, IReadOnlyList<string> First)>? readers = null)
    {
        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, model);
            var sha = Scalar(c, tx, "SELECT weights_sha256 FROM versions WHERE model = @m AND version = @v", ("@m", model), ("@v", version)) as string;
            if (sha is null) return new(false, [], 0, []);
            var aliases = Query(c, tx, "SELECT alias FROM aliases WHERE model = @m AND version = @v ORDER BY alias", r => r.GetString(0), ("@m", model), ("@v", version));
            var (count, first) = readers?.Invoke(c, tx) ?? (0, []);
            if (aliases.Count > 0 || count > 0) return new(true, aliases, count, first);
            Execute(c, tx, "DELETE FROM versions WHERE model = @m AND version = @v", ("@m", model), ("@v", version));
            tx.Commit();
            _lookups.Invalidate();
            Forget(model, version);
            weights.DeleteIfUnreferenced(sha, c);
            return new(true, [], 0, []);
        }
    }

    public bool DeleteAlias(string model, string alias)
    {
        lock (_writeLock)
        {
            using var c = database.Connect();
            using var tx = c.BeginTransaction();
            LockModel(c, tx, model);
            var deleted = Execute(c, tx, "DELETE FROM aliases WHERE model = @m AND alias = @a", ("@m", model), ("@a", alias)) > 0;
            tx.Commit();
            _lookups.Invalidate();
            return deleted;
        }
    }
}

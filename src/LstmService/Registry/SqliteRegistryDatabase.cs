using System.Data.Common;
using LstmService.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// The SQLite file holding models, versions, aliases and training jobs (the default provider; weights are files beside it,
/// see <see cref="FileWeightsStore"/>). Every operation opens its own (pooled) connection; WAL mode lets forecasts and
/// listings read while a writer commits.
/// </summary>
public sealed class SqliteRegistryDatabase : IRegistryDatabase
{
    private const int SchemaVersion = 5; // 5: drift episodes (version_events.episode); 4: the streams tables (new tables, which the schema's IF NOT EXISTS adds)
    private readonly string _connectionString;
    private FileStream? _directoryLock;

    public SqliteRegistryDatabase(IOptions<StorageOptions> options)
    {
        DataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, "registry.db");
        WeightsDirectory = Path.Combine(DataDirectory, "weights");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30, // seconds a command waits for a lock held by another connection
        }.ToString();
    }

    public string DataDirectory { get; }
    public string DatabasePath { get; }
    public string WeightsDirectory { get; }

    /// <summary>
    /// Why the registry file cannot be used, for the operator, or null while it can: no longer at its path (the data
    /// directory deleted, a volume unmounted), or no longer the one opened (<see cref="IsReplaced"/>).
    /// </summary>
    public string? GoneReason => Gone().Reason;

    /// <summary>
    /// <see cref="GoneReason"/>, and whether another registry file is at the path this process opened (only a restart reads
    /// it), read once so the two agree during a restore.
    /// </summary>
    public (string? Reason, bool ReplacedByAnother) Gone()
    {
        bool replaced = IsReplaced, present = File.Exists(DatabasePath);
        return replaced && present ? ("The registry's data directory was replaced under the running service (the lock file it holds is gone from it): restart the service to read what is there now.", true)
            : replaced ? ("The registry's data directory was deleted under the running service (the lock file it holds is gone from it): put it back and restart the service; a restart without it starts an empty registry.", false)
            : !present ? ("The registry's database file is gone from the data directory (a volume unmounted?): requests that need the registry answer 503 until it is back.", false)
            : (null, false);
    }

    /// <summary>
    /// Whether the data directory this process locked was replaced under it (deleted and restored from a copy): a file is at
    /// the registry's path, but not the one opened. SQLite's pooled connections had gone on writing the unlinked file, every
    /// job and alias acknowledged meanwhile was gone at the next start, and a second process could lock the copy. The lock
    /// file this process holds open tells it (Linux: /proc/self/fd names a deleted file "(deleted)"); elsewhere, false.
    /// </summary>
    public bool IsReplaced
    {
        get
        {
            if (_directoryLock is not { } held || !OperatingSystem.IsLinux()) return false;
            try
            {
                var target = new FileInfo($"/proc/self/fd/{held.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
                // The kernel marks a link to an unlinked file; the path itself may differ from LockPath through a symbolic link.
                return target is not null && target.EndsWith(" (deleted)", StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException) { return false; }
        }
    }

    public string Provider => StorageOptions.Sqlite;
    public string Location => DataDirectory;
    public SqlDialect Dialect => SqlDialect.Sqlite;
    public bool IsShared => false;

    /// <summary>The file whose exclusive lock marks the data directory as this process's while it runs.</summary>
    public string LockPath => Path.Combine(DataDirectory, "registry.lock");

    /// <summary>
    /// Creates the directories and schema (idempotent), after taking the data directory's lock: SQLite storage serves one
    /// process, and a second one on the same directory would re-queue the first one's running job as a crash's and delete
    /// the weights it is writing as strays.
    /// </summary>
    public void Initialize()
    {
        try
        {
            Directory.CreateDirectory(DataDirectory);
            LockDirectory();
            Directory.CreateDirectory(WeightsDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file in the way, a read-only or foreign-owned folder: the operator's setting, said in one line.
            throw new StartupRefusedException($"Storage:DataDirectory '{DataDirectory}' cannot be used as the data directory: {e.Message}", e);
        }
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        using var tx = connection.BeginTransaction();
        MigrateBeforeSchema(connection, tx);
        Execute(connection, tx, Schema);
        Migrate(connection, tx);
        Execute(connection, tx, $"PRAGMA user_version = {SchemaVersion};");
        tx.Commit();
    }

    /// <summary>
    /// Version 5: a version's decisions are unique per kind and drift episode, where they were unique per kind. The column
    /// comes before the schema's statements, whose new index names it; earlier decisions are episode 1.
    /// </summary>
    private static void MigrateBeforeSchema(DbConnection connection, DbTransaction tx)
    {
        var eventColumns = Query(connection, tx, "SELECT name FROM pragma_table_info('version_events')", r => r.GetString(0));
        if (eventColumns.Count == 0 || eventColumns.Contains("episode")) return;
        Execute(connection, tx, "ALTER TABLE version_events ADD COLUMN episode INTEGER NOT NULL DEFAULT 1");
        Execute(connection, tx, "DROP INDEX IF EXISTS version_events_once");
    }

    /// <summary>Brings a database of an earlier schema version up to date (CREATE TABLE IF NOT EXISTS adds new tables, not columns).</summary>
    private static void Migrate(DbConnection connection, DbTransaction tx)
    {
        var jobColumns = Query(connection, tx, "SELECT name FROM pragma_table_info('jobs')", r => r.GetString(0));
        // Version 2: a job's attempts, so one that crashes the process is not re-queued forever.
        if (!jobColumns.Contains("attempts"))
            Execute(connection, tx, "ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0");
        // Version 3: the lease of a running job and a cancel asked for by another process (one schema with PostgreSQL's).
        if (!jobColumns.Contains("lease_owner"))
        {
            Execute(connection, tx, "ALTER TABLE jobs ADD COLUMN lease_owner TEXT NULL");
            Execute(connection, tx, "ALTER TABLE jobs ADD COLUMN lease_expires TEXT NULL");
            Execute(connection, tx, "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0");
        }
    }

    DbConnection IRegistryDatabase.Connect() => Connect();

    /// <summary>A connection to the registry file, which <see cref="Initialize"/> made.</summary>
    public SqliteConnection Connect()
    {
        if (Gone() is ({ } gone, var replacedByAnother))
        {
            // The data directory went away under the service (a volume unmounted, the directory deleted): pooled connections
            // went on reading and writing the unlinked file, a job or an alias was acknowledged and gone at the next start.
            // The pool is dropped, so a connection opened once the file is back reads it, not the old one.
            using var stale = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(stale);
            throw replacedByAnother ? new DataDirectoryReplacedException(gone) : new DirectoryNotFoundException(gone);
        }
        return Open();
    }

    /// <summary>A connection to the registry file, made if it is not there (at start only).</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // SQLite opens a file it cannot write read-only (a read-only mount, a permission), and the pool then keeps that
        // connection: every write refused long after the file was writable again (minutes, a QA pass saw). A pooled
        // read-only connection is dropped and one opened afresh, which is read-write once the file is.
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            SqliteConnection.ClearPool(connection);
            connection.Dispose();
            connection = new SqliteConnection(_connectionString);
            connection.Open();
        }
        return connection;
    }

    /// <summary>How long a start waits for the directory's lock: a previous process (or host) on it may still be exiting.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    private void LockDirectory()
    {
        if (_directoryLock is not null) return;
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows; the OS drops it
                // when the process dies, so a crash leaves nothing to clean up.
                _directoryLock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException e) when (!IsHeldByAnother(e))
            {
                // A read-only or foreign folder is no contention: waiting would not help, and "in use" would mislead.
                throw new StartupRefusedException($"Storage:DataDirectory '{DataDirectory}' cannot be used as the data directory: {e.Message}", e);
            }
            catch (IOException e) when (DateTime.UtcNow >= deadline)
            {
                throw new StartupRefusedException(
                    $"Another process is using the data directory {DataDirectory} ({LockPath} is locked). SQLite storage serves one process " +
                    "per directory: stop the other one, give this one its own Storage:DataDirectory, or run replicas on " +
                    "Storage:Provider postgres.", e);
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The lock is another's: EWOULDBLOCK from flock on Unix (11 on Linux, 35 on macOS), a sharing violation on Windows.</summary>
    private static bool IsHeldByAnother(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    public void Dispose()
    {
        // Pooled connections keep the file open; release them so a restarted host (or a test) owns the directory again.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        // The directory's lock last: once it is gone another process may open the database.
        _directoryLock?.Dispose();
        _directoryLock = null;
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS models (
            name TEXT NOT NULL PRIMARY KEY,
            created_at TEXT NOT NULL,
            next_version INTEGER NOT NULL DEFAULT 1  -- version numbers are never reused, even after a delete
        );
        -- The next version number of each deleted model: a model created again under the same name goes on from there, so a
        -- client pinned to ?version=1 of the old model never silently gets another one.
        CREATE TABLE IF NOT EXISTS version_marks (
            model TEXT NOT NULL PRIMARY KEY,
            next_version INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS versions (
            model TEXT NOT NULL REFERENCES models(name),
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            source TEXT NOT NULL,
            job_id TEXT NULL,
            input_window INTEGER NOT NULL,
            horizon INTEGER NOT NULL,
            quantiles TEXT NOT NULL,
            scaling TEXT NOT NULL,
            architecture TEXT NOT NULL,
            training TEXT NULL,
            metrics TEXT NULL,
            data_fingerprint TEXT NULL,
            weights_sha256 TEXT NOT NULL,
            weights_size INTEGER NOT NULL,
            PRIMARY KEY (model, version)
        );
        CREATE INDEX IF NOT EXISTS versions_by_weights ON versions(weights_sha256);
        CREATE TABLE IF NOT EXISTS aliases (
            model TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (model, alias),
            FOREIGN KEY (model, version) REFERENCES versions(model, version)
        );
        CREATE TABLE IF NOT EXISTS jobs (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            model TEXT NOT NULL,
            status TEXT NOT NULL,
            epoch INTEGER NOT NULL DEFAULT 0,
            epochs INTEGER NOT NULL,
            train_loss REAL NULL,
            validation_loss REAL NULL,
            best_epoch INTEGER NULL,
            version INTEGER NULL,
            error TEXT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT NULL,
            finished_at TEXT NULL,
            updated_at TEXT NOT NULL,
            loss_curve TEXT NULL,
            request TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT NULL,
            lease_expires TEXT NULL,
            cancel_requested INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status);
        CREATE INDEX IF NOT EXISTS jobs_by_model ON jobs(model);
        -- Streams (Streams/): a series' state kept between appends, optimistic concurrency on revision; their scored values and anomalies.
        CREATE TABLE IF NOT EXISTS streams (
            id TEXT NOT NULL PRIMARY KEY,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            series_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            revision INTEGER NOT NULL,
            length INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS streams_by_updated ON streams(updated_at);
        CREATE INDEX IF NOT EXISTS streams_by_version ON streams(model, version);
        CREATE TABLE IF NOT EXISTS stream_scores (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            stream_id TEXT NOT NULL,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            scored_at TEXT NOT NULL,
            value_index INTEGER NOT NULL,
            step INTEGER NOT NULL,
            absolute_error REAL NOT NULL,
            squared_error REAL NOT NULL,
            scaled_error REAL NOT NULL,
            smape REAL NULL,
            hits INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stream_scores_window ON stream_scores(model, version, seq, scaled_error);
        DROP INDEX IF EXISTS stream_scores_by_version;
        CREATE INDEX IF NOT EXISTS stream_scores_by_stream ON stream_scores(stream_id, seq);
        CREATE INDEX IF NOT EXISTS stream_scores_by_time ON stream_scores(scored_at);
        CREATE TABLE IF NOT EXISTS stream_anomalies (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            stream_id TEXT NOT NULL,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            flagged_at TEXT NOT NULL,
            value_index INTEGER NOT NULL,
            step INTEGER NOT NULL,
            value REAL NOT NULL,
            lower_bound REAL NOT NULL,
            upper_bound REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stream_anomalies_by_stream ON stream_anomalies(stream_id, seq);
        CREATE INDEX IF NOT EXISTS stream_anomalies_by_version ON stream_anomalies(model, version, seq);
        CREATE TABLE IF NOT EXISTS version_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            kind TEXT NOT NULL,
            episode INTEGER NOT NULL DEFAULT 1,
            at TEXT NOT NULL,
            job_id TEXT NULL,
            detail TEXT NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS version_events_per_episode ON version_events(model, version, kind, episode);
        CREATE INDEX IF NOT EXISTS version_events_by_job ON version_events(job_id);
        """;
}

using System.Data.Common;
using LstmService.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>
/// The PostgreSQL database that replicas share: the same tables as SQLite's (timestamps as ISO 8601 text, so the shared
/// statements compare them alike) plus <c>weights</c>, the weights themselves as bytea keyed by their SHA-256
/// (<see cref="DatabaseWeightsStore"/>), which versions reference by foreign key.
/// </summary>
public sealed class PostgresRegistryDatabase : IRegistryDatabase
{
    // Held while the schema is created, so replicas starting together do not race on CREATE TABLE IF NOT EXISTS.
    private const long SchemaLock = 0x4c53_544d_5245_47; // "LSTMREG"
    private readonly NpgsqlDataSource _dataSource;

    public PostgresRegistryDatabase(IOptions<StorageOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        // Opening a connection to a server that drops packets waits this long, and every request, probe and scrape waits with
        // it: 5 s unless the operator chose (Npgsql's own default is 15 s).
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.Value.ConnectionString ?? "", @"(^|;)\s*(connect(ion)?\s*)?timeout\s*=",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant))
            builder.Timeout = 5;
        Location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public string Provider => StorageOptions.Postgres;
    public string Location { get; }
    public SqlDialect Dialect => SqlDialect.Postgres;
    public bool IsShared => true;

    /// <summary>
    /// Creates the tables and indexes that are missing, and runs no DDL when none is: PostgreSQL checks the CREATE privilege
    /// before <c>IF NOT EXISTS</c>, so a role that may only read and write rows had been refused every start, not only the
    /// first one the deploy README says needs <c>CREATE</c> (a QA pass).
    /// </summary>
    public void Initialize()
    {
        using var connection = Connect();
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, "SELECT pg_advisory_xact_lock(@lock)", ("@lock", SchemaLock));
        var missing = Query(connection, tx, "SELECT n FROM unnest(@names) AS n WHERE to_regclass(n) IS NULL", r => r.GetString(0), ("@names", SchemaObjects));
        if (missing.Count == 0) return;
        try
        {
            // Drift episodes: decisions unique per kind and episode, where they were unique per kind (earlier ones are episode 1).
            if (!missing.Contains("version_events") && Scalar(connection, tx,
                    "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'version_events' AND column_name = 'episode'") is 0L)
                Execute(connection, tx, "ALTER TABLE version_events ADD COLUMN IF NOT EXISTS episode INTEGER NOT NULL DEFAULT 1; DROP INDEX IF EXISTS version_events_once;");
            Execute(connection, tx, Schema);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new InvalidOperationException($"The registry's {string.Join(", ", missing)} do not exist yet and this role may not create them " +
                $"({e.MessageText}): start once with a role that has CREATE on the database (and, for an index on a table that exists, " +
                "owns that table, as the role that created it does), or create them from the schema in " +
                "src/LstmService/Registry/PostgresRegistryDatabase.cs.", e);
        }
        tx.Commit();
    }

    /// <summary>The tables and indexes <see cref="Schema"/> creates, by name.</summary>
    internal static readonly string[] SchemaObjects = System.Text.RegularExpressions.Regex
        .Matches(Schema, @"CREATE (?:UNIQUE )?(?:TABLE|INDEX) IF NOT EXISTS (\w+)").Select(m => m.Groups[1].Value).ToArray();

    public DbConnection Connect() => _dataSource.OpenConnection();

    /// <summary>A connection opened without blocking a thread (a download's pieces, read as its response is written).</summary>
    public async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public void Dispose() => _dataSource.Dispose();

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS models (
            name TEXT NOT NULL PRIMARY KEY,
            created_at TEXT NOT NULL,
            next_version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE IF NOT EXISTS version_marks (
            model TEXT NOT NULL PRIMARY KEY,
            next_version INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS weights (
            sha256 TEXT NOT NULL PRIMARY KEY,
            size BIGINT NOT NULL,
            content BYTEA NOT NULL
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
            weights_sha256 TEXT NOT NULL REFERENCES weights(sha256),
            weights_size BIGINT NOT NULL,
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
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            model TEXT NOT NULL,
            status TEXT NOT NULL,
            epoch INTEGER NOT NULL DEFAULT 0,
            epochs INTEGER NOT NULL,
            train_loss DOUBLE PRECISION NULL,
            validation_loss DOUBLE PRECISION NULL,
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
            revision BIGINT NOT NULL,
            length INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS streams_by_updated ON streams(updated_at);
        CREATE INDEX IF NOT EXISTS streams_by_version ON streams(model, version);
        CREATE TABLE IF NOT EXISTS stream_scores (
            seq BIGSERIAL PRIMARY KEY,
            stream_id TEXT NOT NULL,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            scored_at TEXT NOT NULL,
            value_index INTEGER NOT NULL,
            step INTEGER NOT NULL,
            absolute_error DOUBLE PRECISION NOT NULL,
            squared_error DOUBLE PRECISION NOT NULL,
            scaled_error DOUBLE PRECISION NOT NULL,
            smape DOUBLE PRECISION NULL,
            hits INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stream_scores_window ON stream_scores(model, version, seq, scaled_error);
        DROP INDEX IF EXISTS stream_scores_by_version;
        CREATE INDEX IF NOT EXISTS stream_scores_by_stream ON stream_scores(stream_id, seq);
        CREATE INDEX IF NOT EXISTS stream_scores_by_time ON stream_scores(scored_at);
        CREATE TABLE IF NOT EXISTS stream_anomalies (
            seq BIGSERIAL PRIMARY KEY,
            stream_id TEXT NOT NULL,
            model TEXT NOT NULL,
            version INTEGER NOT NULL,
            flagged_at TEXT NOT NULL,
            value_index INTEGER NOT NULL,
            step INTEGER NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            lower_bound DOUBLE PRECISION NOT NULL,
            upper_bound DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stream_anomalies_by_stream ON stream_anomalies(stream_id, seq);
        CREATE INDEX IF NOT EXISTS stream_anomalies_by_version ON stream_anomalies(model, version, seq);
        CREATE TABLE IF NOT EXISTS version_events (
            seq BIGSERIAL PRIMARY KEY,
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

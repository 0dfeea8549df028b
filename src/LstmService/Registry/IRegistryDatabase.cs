using System.Data.Common;

namespace LstmService.Registry;

/// <summary>
/// The database holding models, versions, aliases and training jobs (and, with PostgreSQL, the weights): the embedded
/// SQLite file (<see cref="SqliteRegistryDatabase"/>, the default) or a PostgreSQL server that several replicas share
/// (<see cref="PostgresRegistryDatabase"/>). Both hold the same tables, so the registry and the job store run the same
/// statements on either.
/// </summary>
public interface IRegistryDatabase : IDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Provider { get; }

    /// <summary>Where the data is, for logs: the data directory, or the server and database (never the password).</summary>
    string Location { get; }

    SqlDialect Dialect { get; }

    /// <summary>True when other processes may use the same database at once (the queue then polls, leases matter and caches are checked).</summary>
    bool IsShared { get; }

    /// <summary>Creates the schema (idempotent; safe when several replicas start at once).</summary>
    void Initialize();

    /// <summary>An open connection (pooled); the caller disposes it.</summary>
    DbConnection Connect();
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LstmService.Infrastructure;

/// <summary>
/// Database errors that say the database could not be reached or was busy for a moment, not that the statement was wrong:
/// worth answering 503 with Retry-After, retrying, or putting a job back in the queue, where any other error is a bug or
/// bad data that a retry would only repeat.
/// </summary>
public static class TransientDatabaseErrors
{
    /// <summary>Whether <paramref name="e"/> (or an error it wraps) is such an error.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return IsTransient(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException:
                    return true;
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED: another connection holds it
                case DbException db when db.IsTransient:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL's classes of a server going away or out of room, and the conflicts a retry resolves: connection exceptions
    /// (08), insufficient resources (53), operator intervention such as a restart or a terminated backend (57P01-57P03),
    /// serialization failures and deadlocks (40001, 40P01), and a write to a database that is read-only for now (25006: a
    /// failover reached a standby, or the primary was demoted), which had answered every write a 500.
    /// </summary>
    private static bool IsTransient(string state) =>
        // 53100, disk_full, is of the class but passes only when an operator frees space: StorageFullErrors' (507, the job failed).
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) && state != "53100"
        || state is "57P01" or "57P02" or "57P03" or "40001" or "40P01" or "25006";
}

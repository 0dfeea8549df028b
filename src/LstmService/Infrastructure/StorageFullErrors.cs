using Microsoft.Data.Sqlite;
using Npgsql;

namespace LstmService.Infrastructure;

/// <summary>
/// Errors that say the service's storage is full: a weights file or the SQLite registry that found no space on its device
/// (or over its quota), PostgreSQL's disk_full. Nothing of the write was kept, and retrying will not help until an operator
/// frees space, so a request answers 507 and a job fails saying so; the system's message, which names a server path, is
/// not passed on.
/// </summary>
public static class StorageFullErrors
{
    // errno ENOSPC and EDQUOT (Linux), and Windows' ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs.
    private static readonly int[] FullCodes = [28, 122, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>Whether <paramref name="e"/> (or an error it wraps) is such an error.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case IOException io when FullCodes.Contains(io.HResult):
                case SqliteException { SqliteErrorCode: 13 }: // SQLITE_FULL
                case PostgresException { SqlState: "53100" }: // disk_full
                    return true;
            }
        }
        return false;
    }

    /// <summary>What a client or a failed job is told.</summary>
    public const string Message = "The service's storage is full (no space left for its data directory or database), so nothing of this was stored. " +
        "An operator must free space; then send it again.";
}

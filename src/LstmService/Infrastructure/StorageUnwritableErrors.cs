using Microsoft.Data.Sqlite;
using Npgsql;

namespace LstmService.Infrastructure;

/// <summary>
/// Errors that say the service's storage refused a write that it had room for: a file system remounted read-only, a data
/// directory or file without write permission or gone (a volume unmounted under the service), the SQLite file opened read-only because of either or failing with an I/O
/// error (SQLite does not say why: a read-only remount under an open file is one), a PostgreSQL role without the
/// privilege (a misconfigured grant). Nothing of the write
/// was kept; it may work again once an operator fixes the mount or the permissions, so a request answers 503 and a job's
/// version is tried again for a while, and the system's message, which names a server path, is not passed on.
/// </summary>
public static class StorageUnwritableErrors
{
    // errno EROFS and EACCES (Linux), and Windows' ERROR_ACCESS_DENIED and ERROR_WRITE_PROTECT as HRESULTs.
    private static readonly int[] UnwritableCodes = [30, 13, unchecked((int)0x80070005), unchecked((int)0x80070013)];

    /// <summary>Whether <paramref name="e"/> (or an error it wraps) is such an error.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case UnauthorizedAccessException:
                case DirectoryNotFoundException: // the data directory went away under the service (an unmounted volume)
                case IOException io when UnwritableCodes.Contains(io.HResult):
                case SqliteException { SqliteErrorCode: 8 or 10 or 14 }: // SQLITE_READONLY; SQLITE_IOERR; SQLITE_CANTOPEN (its -wal or -shm file in a directory it may not write)
                case PostgresException { SqlState: "42501" }: // insufficient_privilege
                    return true;
            }
        }
        return false;
    }

    /// <summary>What a client or a failed job is told.</summary>
    public const string Message = "The service's storage refused the write (its data directory is read-only, not writable or gone, it failed with an I/O error, " +
        "or the database role may not write), so nothing of this was stored. An operator must make it writable; then send it again.";
}

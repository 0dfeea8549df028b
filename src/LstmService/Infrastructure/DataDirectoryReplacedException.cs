namespace LstmService.Infrastructure;

/// <summary>
/// The SQLite data directory was replaced under the running service (restored from a copy): the file at its path is not the
/// one opened, and only a restart reads it. Answered 503 saying so (<see cref="StorageFullExceptionHandler"/>), where, read
/// as a directory gone, every read had been told the storage refused a write and an operator must make it writable.
/// </summary>
public sealed class DataDirectoryReplacedException(string message) : DirectoryNotFoundException(message)
{
    /// <summary>What a client is told (the operator's log gets the reason with more detail).</summary>
    public const string ClientMessage = "The service's data directory was replaced under it (restored from a copy?), which only a restart reads, " +
        "so nothing of this was read or stored. An operator must restart the service; then send it again.";

    /// <summary>Whether <paramref name="e"/> or an error it wraps is one.</summary>
    public static bool IsIn(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            if (current is DataDirectoryReplacedException) return true;
        return false;
    }
}

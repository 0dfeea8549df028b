namespace LstmService.Infrastructure;

/// <summary>
/// Errors after which the same write may land later: the database out of reach (<see cref="TransientDatabaseErrors"/>), the
/// storage full (<see cref="StorageFullErrors"/>) or refusing writes (<see cref="StorageUnwritableErrors"/>). A write that
/// records what already happened (a job's end, a claim) waits for the storage instead of failing on them.
/// </summary>
public static class StorageWriteErrors
{
    /// <summary>Whether <paramref name="e"/> (or an error it wraps) is one of them.</summary>
    public static bool Is(Exception e) => TransientDatabaseErrors.Is(e) || StorageFullErrors.Is(e) || StorageUnwritableErrors.Is(e);
}

namespace LstmService.Registry;

/// <summary>
/// What deleting a version did: not found; refused because aliases point to it or something (streams) still reads it, with
/// how many readers there are and the first of them; or deleted (found, nothing blocking).
/// </summary>
public sealed record VersionDeletion(bool Found, IReadOnlyList<string> BlockingAliases, int Readers, IReadOnlyList<string> FirstReaders);

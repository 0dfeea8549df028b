using System.Collections.Concurrent;

namespace LstmService.Registry;

/// <summary>
/// The forecast path's version lookups (model, version or alias or newest) kept in memory while the registry is written by
/// this process alone (SQLite): resolving in the database reads every version's metadata documents, which cost more than
/// a small forecast. Every write to the registry bumps <see cref="Invalidate"/>'s generation, and an entry is served only
/// for the generation it was read in, so a lookup that raced a write is never kept. Only found versions are cached (a
/// flood of unknown names cannot grow it), at most <see cref="Capacity"/> of them.
/// </summary>
internal sealed class VersionLookupCache
{
    internal const int Capacity = 4096;
    private readonly ConcurrentDictionary<(string Model, int? Version, string? Alias), (long Generation, VersionRecord Version)> _entries = new();
    private long _generation;
    private int _writing;

    /// <summary>The generation a lookup starts in: pass it to <see cref="Store"/> with what the database said.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string model, int? version, string? alias, out VersionRecord record)
    {
        if (Volatile.Read(ref _writing) == 0 && _entries.TryGetValue((model, version, alias), out var entry) && entry.Generation == Generation)
        {
            record = entry.Version;
            return true;
        }
        record = null!;
        return false;
    }

    /// <summary>Keeps a lookup read in <paramref name="generation"/>; dropped at once if a write happened since.</summary>
    public void Store(string model, int? version, string? alias, long generation, VersionRecord record)
    {
        if (Volatile.Read(ref _writing) > 0 || generation != Generation) return;
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[(model, version, alias)] = (generation, record);
    }

    /// <summary>Called after every committed write: every entry read before it is stale.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>
    /// Called before a commit that others can see before <see cref="EndWrite"/> runs (a new version commits its training job's
    /// success in the same transaction): until then nothing is served or kept. A client that saw the job succeed in the moment
    /// between the commit and the invalidation after it had been forecast with the version before (a CI run under load).
    /// </summary>
    public void BeginWrite()
    {
        Interlocked.Increment(ref _writing);
        Interlocked.Increment(ref _generation);
    }

    /// <summary>After the commit (or its failure) that <see cref="BeginWrite"/> announced: as <see cref="Invalidate"/>.</summary>
    public void EndWrite()
    {
        Invalidate();
        Interlocked.Decrement(ref _writing);
    }
}

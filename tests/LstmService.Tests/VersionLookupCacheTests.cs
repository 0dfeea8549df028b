using LstmService.Forecasting.Series;
using LstmService.Registry;

namespace LstmService.Tests;

public class VersionLookupCacheTests
{
    private static VersionRecord Record(int version) => new(
        "m", version, DateTimeOffset.UnixEpoch, VersionSource.Trained, null, 4, 2, [0.5f], ScalingMode.WindowLevel,
        new ArchitectureInfo(1, 4, 1, 3, false, 0, 100), null, null, null, new string('0', 64), 10);

    [Fact]
    public void A_lookup_is_served_until_the_next_write()
    {
        var cache = new VersionLookupCache();
        cache.Store("m", null, null, cache.Generation, Record(1));
        Assert.True(cache.TryGet("m", null, null, out var hit));
        Assert.Equal(1, hit.Version);
        Assert.False(cache.TryGet("m", 1, null, out _));
        Assert.False(cache.TryGet("m", null, "live", out _));

        cache.Invalidate();
        Assert.False(cache.TryGet("m", null, null, out _));
    }

    [Fact]
    public void A_lookup_read_before_a_write_is_never_kept()
    {
        var cache = new VersionLookupCache();
        var generation = cache.Generation; // the lookup starts reading the database...
        cache.Invalidate();               // ...a write commits meanwhile...
        cache.Store("m", null, null, generation, Record(1)); // ...and what it read may be stale.
        Assert.False(cache.TryGet("m", null, null, out _));
    }

    [Fact]
    public void Nothing_is_served_or_kept_while_a_visible_commit_runs()
    {
        // A new version commits its job's success with it: a client may read the success before the cache is invalidated.
        var cache = new VersionLookupCache();
        cache.Store("m", null, null, cache.Generation, Record(1));
        cache.BeginWrite();
        Assert.False(cache.TryGet("m", null, null, out _));
        var generation = cache.Generation;
        cache.Store("m", null, null, generation, Record(1)); // read during the commit: may be from before it
        Assert.False(cache.TryGet("m", null, null, out _));
        cache.EndWrite();
        Assert.False(cache.TryGet("m", null, null, out _));
        cache.Store("m", null, null, cache.Generation, Record(2));
        Assert.True(cache.TryGet("m", null, null, out var hit));
        Assert.Equal(2, hit.Version);
    }

    [Fact]
    public void The_cache_stays_bounded()
    {
        var cache = new VersionLookupCache();
        for (var v = 1; v <= VersionLookupCache.Capacity + 10; v++) cache.Store("m", v, null, cache.Generation, Record(v));
        Assert.True(cache.TryGet("m", VersionLookupCache.Capacity + 10, null, out _));
        Assert.False(cache.TryGet("m", 1, null, out _));
    }
}

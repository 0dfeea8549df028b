using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using static LstmService.Registry.Sql;

namespace LstmService.Registry;

/// <summary>The registry's reads of weights: loaded models served from the cache, and versions whose weights cannot be loaded marked unavailable.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>Null when the version can be served; otherwise why not.</summary>
    public string? UnavailableReason(string model, int version) => _unavailable.GetValueOrDefault((model, version))?.Reason;

    /// <summary>The loaded forecaster (cached), or why it can't be loaded (the version is then marked unavailable). The caller checks the version's task first.</summary>
    public (ForecastModel? Model, string? Error) GetForecaster(VersionRecord version) => GetLoaded(version, ModelTask.Forecasting, ForecastModel.Load);

    /// <summary>The loaded classifier (cached), or why it can't be loaded, as <see cref="GetForecaster"/>.</summary>
    public (SequenceClassifier? Model, string? Error) GetClassifier(VersionRecord version) => GetLoaded(version, ModelTask.Classification, SequenceClassifier.Load);

    private (T? Model, string? Error) GetLoaded<T>(VersionRecord version, ModelTask task, Func<Stream, T> load) where T : class, IServedModel
    {
        // Loading a version as the other task would fail and mark good weights unavailable: endpoints answer 400 before this.
        if (version.Architecture.Task != task)
            throw new InvalidOperationException($"Version {version.Version} of model '{version.Model}' is a {version.Architecture.Task} model, not a {task} one.");
        var key = (version.Model, version.Version);
        if (_unavailable.TryGetValue(key, out var mark)) return (null, mark.Reason);
        if (cache.TryGet(key, out var cached)) return ((T)cached, null);
        // One load of a version at a time, shared: requests for it while it loads wait for that load and get its model,
        // cached or not (one larger than the cache's budget is served uncached). Each had read, hashed and parsed its own
        // copy, so a version's first moments under load held one copy per client (a review).
        var loading = new Lazy<(IServedModel? Model, string? Error)>(() => Load(version, load), LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = _loading.GetOrAdd(key, loading);
        try
        {
            var (model, error) = shared.Value;
            return ((T?)model, error);
        }
        finally
        {
            // The first to finish takes it out (only this load: a later one may have begun); the next request loads afresh.
            _loading.TryRemove(KeyValuePair.Create(key, shared));
        }
    }

    /// <summary>Reads, checks and parses a version's weights, caching the model (see <see cref="GetLoaded{T}"/>).</summary>
    private (IServedModel? Model, string? Error) Load<T>(VersionRecord version, Func<Stream, T> load) where T : class, IServedModel
    {
        var key = (version.Model, version.Version);
        if (_unavailable.TryGetValue(key, out var mark)) return (null, mark.Reason);
        if (cache.TryGet(key, out var cached)) return (cached, null);
        // Taken before the read, which checks the hash: a change after it shows as another fingerprint (MarkLoadedWeightsGoneOrAltered).
        var fingerprint = weights.Fingerprint(version.WeightsSha256);
        var (content, error) = ReadWeights(version);
        if (content is null) return (null, error);
        try
        {
            var loaded = load(new MemoryStream(content, writable: false));
            _loadedWeights[key] = (version, fingerprint);
            return (cache.GetOrAdd(key, loaded), null);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            // Intact bytes that do not load stay unusable whatever happens to the file: not checked again.
            MarkUnavailableUnlessGoneOrTransient(version, e, weightsAtFault: false);
            return (null, e.Message);
        }
    }

    // The load under way per version (GetLoaded), taken out once it ends.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Version), Lazy<(IServedModel? Model, string? Error)>> _loading = new();

    /// <summary>
    /// Marks a version whose weights failed to load unavailable, except when the failure says nothing about the version: its
    /// row is gone (deleted while the file was read: the caller answers 404, see <see cref="VersionLookupProblems.LoadProblem"/>)
    /// or the read failed with an I/O error after <see cref="FileWeightsStore.Read"/>'s retries (a busy disk or a lock, tried
    /// again at the next request instead of being remembered until restart).
    /// </summary>
    private void MarkUnavailableUnlessGoneOrTransient(VersionRecord version, Exception e, bool weightsAtFault)
    {
        if (GetVersion(version.Model, version.Version) is null) return;
        if (e is IOException and not (FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)) return;
        MarkUnavailable(version, e.Message, weightsAtFault);
    }

    /// <summary>The stored weights file (the library's binary format), verified against its hash.</summary>
    public (byte[]? Content, string? Error) ReadWeights(VersionRecord version) => FromWeights(version, weights.Read);

    /// <summary>The stored weights file as a stream to send (<see cref="IWeightsStore.OpenVerified"/>), verified against its hash.</summary>
    public (Stream? Content, string? Error) OpenWeights(VersionRecord version) => FromWeights(version, weights.OpenVerified);

    /// <summary><paramref name="read"/> of the version's weights, or why they cannot be read (a version at fault is marked unavailable).</summary>
    private (T? Content, string? Error) FromWeights<T>(VersionRecord version, Func<string, T> read) where T : class
    {
        if (UnavailableReason(version.Model, version.Version) is { } reason) return (null, reason);
        try
        {
            return (read(version.WeightsSha256), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            MarkUnavailableUnlessGoneOrTransient(version, e, weightsAtFault: true);
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Clears the marks of versions whose missing or altered weights are back intact (an operator restored the file or
    /// the row from a backup), so they are served again without a restart; returns how many. Weights whose
    /// <see cref="IWeightsStore.Fingerprint"/> changed since they were last hashed are hashed again at once; the others every
    /// <paramref name="fullRecheck"/>, since a copy that keeps size and time (<c>cp -p</c>, <c>rsync -a</c>) leaves the
    /// fingerprint as it was.
    /// </summary>
    public int RecheckUnavailable(TimeSpan fullRecheck)
    {
        var restored = 0;
        var now = Environment.TickCount64;
        foreach (var (key, mark) in _unavailable)
        {
            if (mark.Weights is not { } version) continue;
            var fingerprint = weights.Fingerprint(version.WeightsSha256);
            if (fingerprint is null || fingerprint == mark.Fingerprint && now - mark.HashedAt < fullRecheck.TotalMilliseconds) continue;
            try
            {
                weights.Read(version.WeightsSha256); // hashed, in the database too, where the start's check only counts bytes
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // Said once per change of reason: a wrong file put back where a missing one was had gone unnoticed (a QA pass).
                if (_unavailable.TryUpdate(key, mark with { Reason = e.Message, Fingerprint = fingerprint, HashedAt = now }, mark) && e.Message != mark.Reason)
                    logger.LogWarning("Version {Version} of model {Model} is still unavailable, now because {Reason}", key.Version, key.Model, e.Message);
                continue;
            }
            if (!_unavailable.TryRemove(KeyValuePair.Create(key, mark))) continue;
            _lookups.Invalidate(); // it may be the newest available version again
            restored++;
            logger.LogInformation("Version {Version} of model {Model} is available again: its weights are back intact", key.Version, key.Model);
        }
        return restored;
    }

    /// <summary>
    /// Marks the loaded versions whose weights (a file, or a PostgreSQL row) are gone or altered (written over in place), so
    /// the version, readiness of /v2 and the unavailable-versions metric say so now: served from memory, such a version had
    /// gone unnoticed until it left the cache or the service restarted, when it could no longer be served. The weights are
    /// hashed again only when their fingerprint (a file's size and time of last write, a row's transaction id) moved since
    /// they were loaded, and the version's row is read only for one found at fault (it had been read for every loaded
    /// version at every beat). Returns how many were marked.
    /// </summary>
    public int MarkLoadedWeightsGoneOrAltered()
    {
        var marked = 0;
        var loadedNow = cache.Keys.ToHashSet();
        foreach (var (key, (version, fingerprint)) in _loadedWeights)
        {
            if (!loadedNow.Contains(key)) { _loadedWeights.TryRemove(key, out _); continue; }
            if (_unavailable.ContainsKey(key)) continue;
            var now = weights.Fingerprint(version.WeightsSha256);
            if (now is not null && now == fingerprint) continue;
            if (weights.Check(version.WeightsSha256, version.WeightsSize) is not { } problem)
            {
                _loadedWeights[key] = (version, now); // touched but intact
                continue;
            }
            if (GetVersion(key.Model, key.Version) is not { } current) continue; // deleted meanwhile: nothing to mark
            MarkUnavailable(current, problem, weightsAtFault: true);
            marked++;
        }
        return marked;
    }

    // The version and its weights' fingerprint when it was loaded, for the loaded models in the cache.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, int Version), (VersionRecord Version, string? Fingerprint)> _loadedWeights = new();

    /// <summary>Loaded models held in memory.</summary>
    public int CachedModels => cache.Count;

    /// <summary>
    /// Drops loaded models and unavailability marks of versions that are no longer in the database (deleted through another
    /// replica); returns how many loaded models went.
    /// </summary>
    public int EvictDeleted()
    {
        if (cache.Count == 0 && _unavailable.IsEmpty) return 0;
        using var c = database.Connect();
        var present = Query(c, null, "SELECT model, version FROM versions", r => (r.GetString(0), r.GetInt32(1))).ToHashSet();
        var evicted = 0;
        foreach (var key in cache.Keys)
            if (!present.Contains(key) && cache.Remove(key)) evicted++;
        metrics.ModelCacheEvictions.WithLabels("deleted_elsewhere").Inc(evicted);
        foreach (var key in _unavailable.Keys)
            if (!present.Contains(key)) _unavailable.TryRemove(key, out _);
        return evicted;
    }

    /// <param name="version">The version that cannot be served.</param>
    /// <param name="reason">Why.</param>
    /// <param name="weightsAtFault">Whether its stored weights are (missing, altered, unreadable): then it is checked again.
    /// Weights restored between the failed read and the fingerprint taken here are found by the full recheck.</param>
    private void MarkUnavailable(VersionRecord version, string reason, bool weightsAtFault)
    {
        var fingerprint = weightsAtFault ? weights.Fingerprint(version.WeightsSha256) : null;
        Mark(version, reason, weightsAtFault, fingerprint);
        if (!weightsAtFault) return;
        // Identical weights are stored once: the other versions of the file cannot be served from it either. Only the one
        // loaded had been marked, the others still said available (and one in the model cache was served from memory).
        using var c = database.Connect();
        foreach (var other in Query(c, null, SelectVersion + " WHERE weights_sha256 = @sha", ReadVersion, ("@sha", version.WeightsSha256)))
            if ((other.Model, other.Version) != (version.Model, version.Version) && !_unavailable.ContainsKey((other.Model, other.Version)))
                Mark(other, reason, weightsAtFault: true, fingerprint);
    }

    private void Mark(VersionRecord version, string reason, bool weightsAtFault, string? fingerprint)
    {
        var key = (version.Model, version.Version);
        _unavailable[key] = new UnavailableMark(reason, weightsAtFault ? version : null, fingerprint);
        _lookups.Invalidate(); // the newest available version may now be an older one
        if (cache.Remove(key)) metrics.ModelCacheEvictions.WithLabels("unavailable").Inc();
        logger.LogWarning("Version {Version} of model {Model} is unavailable: {Reason}", version.Version, version.Model, reason);
    }

    /// <summary>
    /// Why a version cannot be served; <paramref name="Weights"/> is the version when its stored weights are at fault
    /// (missing, altered, unreadable), whose <paramref name="Fingerprint"/> then was this.
    /// </summary>
    private sealed record UnavailableMark(string Reason, VersionRecord? Weights, string? Fingerprint)
    {
        /// <summary>When its weights were last hashed (<see cref="Environment.TickCount64"/>).</summary>
        public long HashedAt { get; init; } = Environment.TickCount64;
    }

}

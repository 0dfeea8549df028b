using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Registry;

/// <summary>
/// Loaded models by (model, version) within a memory budget (<see cref="ModelCacheOptions.MaxBytes"/>, counted with
/// <see cref="IServedModel.EstimatedBytes"/>: forecasters and classifiers alike), least recently used dropped first. Dropping is safe: a forecast that still
/// holds the model finishes with it, and the next one loads it again from its weights file, bit for bit the same.
/// </summary>
public sealed class ModelCache(IOptions<ModelCacheOptions> options, ILogger<ModelCache> logger)
{
    private sealed record Entry((string Model, int Version) Key, IServedModel Forecaster, long Bytes);

    private readonly long _budget = options.Value.MaxBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Model, int Version), LinkedListNode<Entry>> _entries = new();
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _bytes;

    /// <summary>Raised for each model dropped to stay within the budget (metrics).</summary>
    public event Action? Evicted;

    /// <summary>Cached models.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>Estimated bytes of the cached models; never above the budget.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    /// <summary>The cached keys, most recently used first.</summary>
    public IReadOnlyList<(string Model, int Version)> Keys
    {
        get { lock (_lock) return _recency.Select(e => e.Key).ToArray(); }
    }

    public bool TryGet((string Model, int Version) key, out IServedModel forecaster)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                forecaster = node.Value.Forecaster;
                return true;
            }
        }
        forecaster = null!;
        return false;
    }

    /// <summary>
    /// Caches <paramref name="forecaster"/> unless the key is cached already (two requests loaded it at once: the first one
    /// wins, so both forecast with one instance), and returns the cached instance.
    /// </summary>
    public T GetOrAdd<T>((string Model, int Version) key, T forecaster) where T : class, IServedModel
    {
        long bytes = forecaster.EstimatedBytes;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _recency.Remove(existing);
                _recency.AddFirst(existing);
                // One key is one version, whose task never changes: the cached model is of the same type.
                return (T)existing.Value.Forecaster;
            }
            if (bytes > _budget)
            {
                logger.LogDebug("Version {Version} of model {Model} needs {Bytes} bytes, more than the cache's budget ({Budget}): not cached",
                    key.Version, key.Model, bytes, _budget);
                return forecaster;
            }
            while (_bytes + bytes > _budget && _recency.Last is { } oldest)
            {
                RemoveNode(oldest);
                Evicted?.Invoke();
                logger.LogDebug("Dropped version {Version} of model {Model} from the model cache", oldest.Value.Key.Version, oldest.Value.Key.Model);
            }
            _entries[key] = _recency.AddFirst(new Entry(key, forecaster, bytes));
            _bytes += bytes;
            return forecaster;
        }
    }

    /// <summary>Drops the key; false when it was not cached.</summary>
    public bool Remove((string Model, int Version) key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node)) return false;
            RemoveNode(node);
            return true;
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
    }
}

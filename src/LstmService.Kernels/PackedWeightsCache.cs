namespace LstmService.Kernels;

/// <summary>What <see cref="PackedWeightsCache{TPacked}"/> needs of a cell's packed weight copies.</summary>
internal interface IPackedWeights
{
    int Version { get; }
    bool HasBackward { get; }
    void Pack(float[] parameters, int version);
}

/// <summary>
/// The parameter version and the lazily rebuilt packed weights of one network, shared by the LSTM and the GRU so the
/// double-checked repack (which lets concurrent forecasts share one copy) is written once.
/// </summary>
internal sealed class PackedWeightsCache<TPacked>(Func<bool, TPacked> create) where TPacked : class, IPackedWeights
{
    readonly object _packLock = new();
    int _version = 1;
    TPacked? _packed;

    /// <summary>Marks the packed copies stale; the next pass repacks them.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    /// <summary>The packed weights of <paramref name="parameters"/> at the current version (forward only, or forward and backward).</summary>
    public TPacked Get(float[] parameters, bool forBackward)
    {
        var packed = _packed;
        int version = Volatile.Read(ref _version);
        if (packed is not null && packed.Version == version && (!forBackward || packed.HasBackward)) return packed;
        lock (_packLock)
        {
            packed = _packed;
            version = Volatile.Read(ref _version);
            if (packed is null || packed.Version != version || (forBackward && !packed.HasBackward))
            {
                // Repack into the existing buffers when only the values changed: a training step then allocates nothing.
                if (packed is null || (forBackward && !packed.HasBackward))
                    packed = create(forBackward || (packed?.HasBackward ?? false));
                packed.Pack(parameters, version);
                _packed = packed;
            }
            return packed;
        }
    }
}

namespace LstmService.Kernels;

/// <summary>
/// Tensors laid end to end in one flat buffer, found by name: the bookkeeping the LSTM's and the GRU's parameter
/// layouts share (they differ only in which tensors they add).
/// </summary>
internal sealed class TensorTable
{
    readonly Dictionary<string, ParameterTensor> _byName = new(StringComparer.Ordinal);
    readonly List<ParameterTensor> _list = new();

    public IReadOnlyList<ParameterTensor> Tensors => _list;
    public int TotalLength { get; private set; }

    public void Add(string name, params int[] shape)
    {
        var t = new ParameterTensor(name, TotalLength, shape);
        TotalLength = checked(TotalLength + t.Length); // Validate bounds the total; checked in case a caller skips it
        _list.Add(t);
        _byName[name] = t;
    }

    public ParameterTensor this[string name] => _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No parameter named '{name}'.");
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// Per-layer names ("prefix" + layer) built once: the workspaces look tensors up by name on every pass, and cached
    /// names keep a warm forward/backward allocation-free.
    /// </summary>
    public sealed class LayerNames(string prefix)
    {
        readonly string[] _cache = Enumerable.Range(0, LstmConfig.MaxLayers).Select(l => $"{prefix}{l}").ToArray();

        public string this[int layer] => (uint)layer < (uint)_cache.Length ? _cache[layer] : $"{prefix}{layer}";
    }
}

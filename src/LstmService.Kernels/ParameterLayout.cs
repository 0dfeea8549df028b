namespace LstmService.Kernels;

/// <summary>
/// Where each tensor of a network lives in its one flat float buffer. One buffer makes the optimizer,
/// gradient clipping and serialization single loops over contiguous memory.
/// Order: per layer weight_ih, weight_hh, bias_ih, bias_hh (and weight_peephole), then head.weight, head.bias.
/// </summary>
public sealed class ParameterLayout
{
    readonly Dictionary<string, ParameterTensor> _byName = new(StringComparer.Ordinal);

    public ParameterLayout(LstmConfig config)
    {
        config.Validate();
        Config = config;
        int h = config.HiddenSize, offset = 0;
        var list = new List<ParameterTensor>();
        void Add(string name, params int[] shape)
        {
            var t = new ParameterTensor(name, offset, shape);
            offset = checked(offset + t.Length); // Validate bounds the total; checked in case a caller skips it
            list.Add(t);
            _byName[name] = t;
        }
        for (int l = 0; l < config.Layers; l++)
        {
            Add(WeightIh(l), 4 * h, config.LayerInput(l));
            Add(WeightHh(l), 4 * h, h);
            Add(BiasIh(l), 4 * h);
            Add(BiasHh(l), 4 * h);
            if (config.Peepholes) Add(Peephole(l), 3 * h);
        }
        Add(HeadWeight, config.OutputSize, h);
        Add(HeadBias, config.OutputSize);
        Tensors = list;
        TotalLength = offset;
    }

    public LstmConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors { get; }
    public int TotalLength { get; }

    public ParameterTensor this[string name] => _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No parameter named '{name}'.");
    public bool Contains(string name) => _byName.ContainsKey(name);

    public static string WeightIh(int layer) => Name(s_weightIh, "lstm.weight_ih_l", layer);
    public static string WeightHh(int layer) => Name(s_weightHh, "lstm.weight_hh_l", layer);
    public static string BiasIh(int layer) => Name(s_biasIh, "lstm.bias_ih_l", layer);
    public static string BiasHh(int layer) => Name(s_biasHh, "lstm.bias_hh_l", layer);
    /// <summary>Peephole weights [3H] (p_i, p_f, p_o): not a PyTorch tensor, exported under this name.</summary>
    public static string Peephole(int layer) => Name(s_peephole, "lstm.weight_peephole_l", layer);

    // The workspace looks tensors up by name on every pass: cached names keep a warm forward/backward allocation-free.
    static readonly string[] s_weightIh = Names("lstm.weight_ih_l"), s_weightHh = Names("lstm.weight_hh_l"),
        s_biasIh = Names("lstm.bias_ih_l"), s_biasHh = Names("lstm.bias_hh_l"), s_peephole = Names("lstm.weight_peephole_l");
    static string[] Names(string prefix) => Enumerable.Range(0, LstmConfig.MaxLayers).Select(l => $"{prefix}{l}").ToArray();
    static string Name(string[] cache, string prefix, int layer) => (uint)layer < (uint)cache.Length ? cache[layer] : $"{prefix}{layer}";
    public const string HeadWeight = "head.weight";
    public const string HeadBias = "head.bias";
}

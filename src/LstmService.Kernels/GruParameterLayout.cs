namespace LstmService.Kernels;

/// <summary>
/// Where each tensor of a <see cref="GruNetwork"/> lives in its one flat buffer, in torch.nn.GRU's layout and order:
/// per layer weight_ih [3H, in], weight_hh [3H, H], bias_ih [3H], bias_hh [3H] (gate rows r, z, n), then head.weight,
/// head.bias. Names carry a "gru." prefix where the LSTM's carry "lstm.", so a state_dict says which cell it holds.
/// </summary>
public sealed class GruParameterLayout
{
    readonly Dictionary<string, ParameterTensor> _byName = new(StringComparer.Ordinal);

    public GruParameterLayout(GruConfig config)
    {
        config.Validate();
        Config = config;
        int h = config.HiddenSize, offset = 0;
        var list = new List<ParameterTensor>();
        void Add(string name, params int[] shape)
        {
            var t = new ParameterTensor(name, offset, shape);
            offset = checked(offset + t.Length);
            list.Add(t);
            _byName[name] = t;
        }
        for (int l = 0; l < config.Layers; l++)
        {
            Add(WeightIh(l), 3 * h, config.LayerInput(l));
            Add(WeightHh(l), 3 * h, h);
            Add(BiasIh(l), 3 * h);
            Add(BiasHh(l), 3 * h);
        }
        Add(HeadWeight, config.OutputSize, h);
        Add(HeadBias, config.OutputSize);
        Tensors = list;
        TotalLength = offset;
    }

    public GruConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors { get; }
    public int TotalLength { get; }

    public ParameterTensor this[string name] => _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No parameter named '{name}'.");
    public bool Contains(string name) => _byName.ContainsKey(name);

    public static string WeightIh(int layer) => Name(s_weightIh, "gru.weight_ih_l", layer);
    public static string WeightHh(int layer) => Name(s_weightHh, "gru.weight_hh_l", layer);
    public static string BiasIh(int layer) => Name(s_biasIh, "gru.bias_ih_l", layer);
    public static string BiasHh(int layer) => Name(s_biasHh, "gru.bias_hh_l", layer);

    // Looked up by name on every pass: cached names keep a warm forward/backward allocation-free.
    static readonly string[] s_weightIh = Names("gru.weight_ih_l"), s_weightHh = Names("gru.weight_hh_l"),
        s_biasIh = Names("gru.bias_ih_l"), s_biasHh = Names("gru.bias_hh_l");
    static string[] Names(string prefix) => Enumerable.Range(0, LstmConfig.MaxLayers).Select(l => $"{prefix}{l}").ToArray();
    static string Name(string[] cache, string prefix, int layer) => (uint)layer < (uint)cache.Length ? cache[layer] : $"{prefix}{layer}";
    public const string HeadWeight = ParameterLayout.HeadWeight;
    public const string HeadBias = ParameterLayout.HeadBias;
}

namespace LstmService.Kernels;

/// <summary>
/// Where each tensor of a <see cref="GruNetwork"/> lives in its one flat buffer, in torch.nn.GRU's layout and order:
/// per layer weight_ih [3H, in], weight_hh [3H, H], bias_ih [3H], bias_hh [3H] (gate rows r, z, n), then head.weight,
/// head.bias. Names carry a "gru." prefix where the LSTM's carry "lstm.", so a state_dict says which cell it holds.
/// </summary>
public sealed class GruParameterLayout
{
    readonly TensorTable _table = new();

    public GruParameterLayout(GruConfig config)
    {
        config.Validate();
        Config = config;
        int h = config.HiddenSize;
        void Add(string name, params int[] shape) => _table.Add(name, shape);
        for (int l = 0; l < config.Layers; l++)
        {
            Add(WeightIh(l), 3 * h, config.LayerInput(l));
            Add(WeightHh(l), 3 * h, h);
            Add(BiasIh(l), 3 * h);
            Add(BiasHh(l), 3 * h);
        }
        Add(HeadWeight, config.OutputSize, h);
        Add(HeadBias, config.OutputSize);
    }

    public GruConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors => _table.Tensors;
    public int TotalLength => _table.TotalLength;

    public ParameterTensor this[string name] => _table[name];
    public bool Contains(string name) => _table.Contains(name);

    public static string WeightIh(int layer) => s_weightIh[layer];
    public static string WeightHh(int layer) => s_weightHh[layer];
    public static string BiasIh(int layer) => s_biasIh[layer];
    public static string BiasHh(int layer) => s_biasHh[layer];

    static readonly TensorTable.LayerNames s_weightIh = new("gru.weight_ih_l"), s_weightHh = new("gru.weight_hh_l"),
        s_biasIh = new("gru.bias_ih_l"), s_biasHh = new("gru.bias_hh_l");
    public const string HeadWeight = ParameterLayout.HeadWeight;
    public const string HeadBias = ParameterLayout.HeadBias;
}

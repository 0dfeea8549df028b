namespace LstmService.Kernels;

/// <summary>
/// Where each tensor of a network lives in its one flat float buffer. One buffer makes the optimizer,
/// gradient clipping and serialization single loops over contiguous memory.
/// Order: per layer weight_ih, weight_hh, bias_ih, bias_hh (and weight_peephole), then head.weight, head.bias.
/// </summary>
public sealed class ParameterLayout
{
    readonly TensorTable _table = new();

    public ParameterLayout(LstmConfig config)
    {
        config.Validate();
        Config = config;
        int h = config.HiddenSize;
        void Add(string name, params int[] shape) => _table.Add(name, shape);
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
    }

    public LstmConfig Config { get; }
    public IReadOnlyList<ParameterTensor> Tensors => _table.Tensors;
    public int TotalLength => _table.TotalLength;

    public ParameterTensor this[string name] => _table[name];
    public bool Contains(string name) => _table.Contains(name);

    public static string WeightIh(int layer) => s_weightIh[layer];
    public static string WeightHh(int layer) => s_weightHh[layer];
    public static string BiasIh(int layer) => s_biasIh[layer];
    public static string BiasHh(int layer) => s_biasHh[layer];
    /// <summary>Peephole weights [3H] (p_i, p_f, p_o): not a PyTorch tensor, exported under this name.</summary>
    public static string Peephole(int layer) => s_peephole[layer];

    static readonly TensorTable.LayerNames s_weightIh = new("lstm.weight_ih_l"), s_weightHh = new("lstm.weight_hh_l"),
        s_biasIh = new("lstm.bias_ih_l"), s_biasHh = new("lstm.bias_hh_l"), s_peephole = new("lstm.weight_peephole_l");
    public const string HeadWeight = "head.weight";
    public const string HeadBias = "head.bias";
}

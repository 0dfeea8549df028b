namespace LstmService.Kernels;

/// <summary>
/// The shape of a stacked recurrent network of either cell (<see cref="LstmConfig"/> and <see cref="GruConfig"/> with the
/// cell named): what code that runs either cell (the forecaster, the serializer, the ensemble merge) reads and creates
/// networks from, so it never branches on the concrete type.
/// </summary>
/// <param name="Cell">LSTM or GRU.</param>
/// <param name="InputSize">Features per time step (I).</param>
/// <param name="HiddenSize">Hidden units per layer (H).</param>
/// <param name="Layers">Stacked layers, 1 to 8.</param>
/// <param name="OutputSize">Outputs of the dense head (O).</param>
/// <param name="Peepholes">LSTM only: diagonal peephole weights from the cell state into the i, f and o gates.</param>
/// <param name="Dropout">Dropout probability between layers while training, in [0, 1).</param>
public sealed record RecurrentConfig(RecurrentCell Cell, int InputSize, int HiddenSize, int Layers = 1, int OutputSize = 1, bool Peepholes = false, float Dropout = 0f)
{
    /// <summary>Gate blocks per layer: 4 (LSTM) or 3 (GRU).</summary>
    public int Gates => Cell == RecurrentCell.Gru ? 3 : 4;

    /// <summary>The LSTM shape; throws for a GRU.</summary>
    public LstmConfig ToLstm() => Cell == RecurrentCell.Lstm
        ? new(InputSize, HiddenSize, Layers, OutputSize, Peepholes, Dropout)
        : throw new InvalidOperationException("Not an LSTM shape.");

    /// <summary>The GRU shape; throws for an LSTM or for peepholes (a GRU has no cell state to peep at).</summary>
    public GruConfig ToGru() => Cell != RecurrentCell.Gru ? throw new InvalidOperationException("Not a GRU shape.")
        : Peepholes ? throw new ArgumentOutOfRangeException(nameof(Peepholes), Peepholes, "A GRU has no peephole connections.")
        : new(InputSize, HiddenSize, Layers, OutputSize, Dropout);

    public static RecurrentConfig Of(LstmConfig c) => new(RecurrentCell.Lstm, c.InputSize, c.HiddenSize, c.Layers, c.OutputSize, c.Peepholes, c.Dropout);
    public static RecurrentConfig Of(GruConfig c) => new(RecurrentCell.Gru, c.InputSize, c.HiddenSize, c.Layers, c.OutputSize, false, c.Dropout);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell.");
        if (Cell == RecurrentCell.Lstm) ToLstm().Validate(); else ToGru().Validate();
    }

    /// <summary>Parameters of this shape, in checked 64-bit arithmetic (see <see cref="LstmConfig.ParameterCount"/>).</summary>
    public long ParameterCount() => Cell == RecurrentCell.Lstm ? ToLstm().ParameterCount() : ToGru().ParameterCount();

    /// <summary>A network of this shape with every parameter zero.</summary>
    public IRecurrentNetwork CreateEmpty() => Cell == RecurrentCell.Lstm ? new LstmNetwork(ToLstm()) : new GruNetwork(ToGru());

    /// <summary>
    /// A network of this shape initialised like PyTorch from <paramref name="seed"/> (an LSTM's forget-gate bias at 1 with
    /// <paramref name="forgetBiasOne"/>; a GRU has no forget gate and ignores it).
    /// </summary>
    public IRecurrentNetwork Create(ulong seed, bool forgetBiasOne = false) =>
        Cell == RecurrentCell.Lstm ? LstmNetwork.Create(ToLstm(), seed, forgetBiasOne) : GruNetwork.Create(ToGru(), seed);

    /// <summary>Input width of layer <paramref name="layer"/>: I for the first, H above it.</summary>
    public int LayerInput(int layer) => layer == 0 ? InputSize : HiddenSize;

    /// <summary>The state_dict name of layer <paramref name="layer"/>'s input weights [Gates·H, in] ("lstm.weight_ih_l0" or "gru.weight_ih_l0").</summary>
    public string WeightIh(int layer) => Cell == RecurrentCell.Lstm ? ParameterLayout.WeightIh(layer) : GruParameterLayout.WeightIh(layer);
    /// <summary>Layer <paramref name="layer"/>'s recurrent weights [Gates·H, H].</summary>
    public string WeightHh(int layer) => Cell == RecurrentCell.Lstm ? ParameterLayout.WeightHh(layer) : GruParameterLayout.WeightHh(layer);
    public string BiasIh(int layer) => Cell == RecurrentCell.Lstm ? ParameterLayout.BiasIh(layer) : GruParameterLayout.BiasIh(layer);
    public string BiasHh(int layer) => Cell == RecurrentCell.Lstm ? ParameterLayout.BiasHh(layer) : GruParameterLayout.BiasHh(layer);

    /// <summary>The cell's state_dict prefix ("lstm." or "gru."), also its name in the API.</summary>
    public static string Name(RecurrentCell cell) => cell == RecurrentCell.Gru ? "gru" : "lstm";
}

namespace LstmService.Kernels;

/// <summary>The recurrent cell of a network: LSTM (gates i, f, g, o) or GRU (gates r, z, n), each in PyTorch's layout.</summary>
public enum RecurrentCell
{
    Lstm,
    Gru,
}

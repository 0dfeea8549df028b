namespace LstmService.Kernels;

/// <summary>
/// What <see cref="LstmNetwork"/> and <see cref="GruNetwork"/> share: flat parameters and gradients in a named tensor
/// layout, a dense head on the last hidden state, and workspaces that run it. Training loops, the serializer and the
/// forecaster use this, so one loop trains either cell.
/// </summary>
public interface IRecurrentNetwork
{
    /// <summary>The shape, with the cell named.</summary>
    RecurrentConfig Config { get; }

    /// <summary>The tensors of <see cref="Parameters"/> in order, named as in a PyTorch state_dict.</summary>
    IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>All parameters, in <see cref="Tensors"/> order. Call <see cref="ParametersChanged"/> after writing to it.</summary>
    float[] Parameters { get; }

    /// <summary>Gradients from the last backward pass, same layout as <see cref="Parameters"/> (allocated on first use).</summary>
    float[] Gradients { get; }

    /// <summary>Whether <see cref="Gradients"/> has been allocated.</summary>
    bool HasGradients { get; }

    Span<float> Parameter(string name);

    /// <summary>Marks the packed weight copies stale; the next pass repacks them.</summary>
    void ParametersChanged();

    /// <summary>Deep copy of parameters (not gradients) into a new network of the same shape.</summary>
    IRecurrentNetwork Clone();

    /// <summary>A workspace for this network (buffers grow on first use).</summary>
    IRecurrentWorkspace CreateWorkspace();
}

/// <summary>What <see cref="LstmWorkspace"/> and <see cref="GruWorkspace"/> share: forward from zero states, inference, and backward from the head's gradient.</summary>
public interface IRecurrentWorkspace
{
    /// <summary>Head outputs [B, O] of the last pass.</summary>
    ReadOnlySpan<float> Output { get; }

    /// <summary>Maximum number of threads a pass may use (results are the same for any).</summary>
    int MaxThreads { get; set; }

    /// <summary>Runs x [B, T, I] from zero states, keeping the activations for <see cref="Backward"/>.</summary>
    void Forward(ReadOnlySpan<float> x, int batch, int steps, bool training, ulong dropoutSeed);

    /// <summary>Forward for inference only (the same outputs, bit for bit, as an untrained <see cref="Forward"/>).</summary>
    void Infer(ReadOnlySpan<float> x, int batch, int steps);

    /// <summary>Back-propagates dL/d(head output) [B, O] through the last <see cref="Forward"/> into the network's gradients.</summary>
    void Backward(ReadOnlySpan<float> outputGradient);
}

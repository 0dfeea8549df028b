using LstmService.Kernels;

namespace LstmService.Forecasting.Classification;

/// <summary>
/// The recurrent network a classifier runs: it reads a batch of equal-length sequences [B, T, I] and its dense head maps the
/// last hidden state to one logit per class [B, K]. The classifier and its trainer use only this, so another cell (a GRU)
/// is one more implementation, chosen where <see cref="Create"/> and <see cref="Read"/> choose.
/// </summary>
internal abstract class SequenceNetwork
{
    public abstract int InputSize { get; }
    public abstract int HiddenSize { get; }
    public abstract int Layers { get; }
    public abstract int Classes { get; }
    public abstract bool Peepholes { get; }
    public abstract float Dropout { get; }
    public abstract float[] Parameters { get; }
    public abstract float[] Gradients { get; }
    /// <summary>The cell's name as the stored documents say it ("lstm").</summary>
    public abstract string Cell { get; }

    /// <summary>Marks the packed weights stale after <see cref="Parameters"/> changed.</summary>
    public abstract void ParametersChanged();

    /// <summary>Buffers for one pass at a time (grown on first use; reuse one per thread).</summary>
    public abstract SequenceRun CreateRun();

    /// <summary>The kernels' binary weights format with <paramref name="metadata"/> in its header.</summary>
    public abstract void Write(Stream stream, IReadOnlyDictionary<string, string> metadata);

    /// <summary>The weights as state_dict-shaped JSON (lstm.* and head.*, a PyTorch nn.LSTM and nn.Linear).</summary>
    public abstract byte[] StateDict();

    public static SequenceNetwork Create(int inputs, int hidden, int layers, int classes, bool peepholes, float dropout, ulong seed) =>
        new LstmSequenceNetwork(LstmNetwork.Create(new LstmConfig(inputs, hidden, layers, classes, peepholes, dropout), seed, forgetBiasOne: true));

    /// <summary>Reads what <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> for a bad stream.</summary>
    public static SequenceNetwork Read(Stream stream, out IReadOnlyDictionary<string, string> metadata) =>
        new LstmSequenceNetwork(ModelSerializer.Read(stream, out metadata));
}

/// <summary>One pass's buffers of a <see cref="SequenceNetwork"/>.</summary>
internal abstract class SequenceRun
{
    /// <summary>Logits [B, K] of the last pass.</summary>
    public abstract ReadOnlySpan<float> Output { get; }

    /// <summary>Forward keeping activations for <see cref="Backward"/> (dropout drawn from <paramref name="seed"/>).</summary>
    public abstract void Forward(ReadOnlySpan<float> x, int batch, int steps, ulong seed);

    /// <summary>Forward for inference only (no dropout, no activations kept).</summary>
    public abstract void Infer(ReadOnlySpan<float> x, int batch, int steps);

    /// <summary>Parameter gradients from dLoss/dLogits [B, K] into the network's <see cref="SequenceNetwork.Gradients"/>.</summary>
    public abstract void Backward(ReadOnlySpan<float> logitGradient);
}

/// <summary>The LSTM behind <see cref="SequenceNetwork"/>: <see cref="LstmNetwork"/> with its dense head as the classifier's.</summary>
internal sealed class LstmSequenceNetwork(LstmNetwork network) : SequenceNetwork
{
    public LstmNetwork Network { get; } = network;
    public override int InputSize => Network.Config.InputSize;
    public override int HiddenSize => Network.Config.HiddenSize;
    public override int Layers => Network.Config.Layers;
    public override int Classes => Network.Config.OutputSize;
    public override bool Peepholes => Network.Config.Peepholes;
    public override float Dropout => Network.Config.Dropout;
    public override float[] Parameters => Network.Parameters;
    public override float[] Gradients => Network.Gradients;
    public override string Cell => "lstm";
    public override void ParametersChanged() => Network.ParametersChanged();
    public override SequenceRun CreateRun() => new Run(Network.CreateWorkspace());
    public override void Write(Stream stream, IReadOnlyDictionary<string, string> metadata) => ModelSerializer.Write(stream, Network, metadata);

    public override byte[] StateDict()
    {
        using var ms = new MemoryStream();
        ModelSerializer.WriteStateDict(ms, Network);
        return ms.ToArray();
    }

    sealed class Run(LstmWorkspace workspace) : SequenceRun
    {
        public override ReadOnlySpan<float> Output => workspace.Output;
        public override void Forward(ReadOnlySpan<float> x, int batch, int steps, ulong seed) => workspace.Forward(x, batch, steps, training: true, dropoutSeed: seed);
        public override void Infer(ReadOnlySpan<float> x, int batch, int steps) => workspace.Infer(x, batch, steps);
        public override void Backward(ReadOnlySpan<float> logitGradient) => workspace.Backward(logitGradient);
    }
}

using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>Shape errors are reported as exceptions before any state changes.</summary>
public class WorkspaceValidationTests
{
    static readonly LstmConfig Config = new(3, 4, 2, 2);
    const int B = 2, T = 5;
    static int StateLength => Config.Layers * B * Config.HiddenSize;

    static (LstmNetwork Net, LstmWorkspace Ws, float[] X) Setup()
    {
        var net = LstmNetwork.Create(Config, 1);
        return (net, net.CreateWorkspace(), Random(new SeededRandom(2), B * T * Config.InputSize));
    }

    [Fact]
    public void ForwardRejectsBadShapes()
    {
        var (_, ws, x) = Setup();
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x.AsSpan(1), B, T));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(new float[x.Length + 1], B, T));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B + 1, T));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B, T - 1));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, 0, T));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B, 0));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, -B, -T));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B, T, new float[StateLength - 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B, T, default, new float[StateLength + 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(x, B, T, new float[StateLength], new float[1]));
    }

    [Fact]
    public void FailedForwardLeavesThePreviousResult()
    {
        var (_, ws, x) = Setup();
        ws.Forward(x, B, T);
        var output = ws.Output.ToArray();
        Assert.ThrowsAny<ArgumentException>(() => ws.Forward(new float[7], 7, 7));
        Assert.Equal(B, ws.Batch);
        Assert.Equal(T, ws.Steps);
        AssertBitEqual(output, ws.Output, "output after a rejected forward");
    }

    [Fact]
    public void BackwardRejectsBadShapesAndMissingForward()
    {
        var (_, ws, x) = Setup();
        var gOut = new float[B * Config.OutputSize];
        Assert.Throws<InvalidOperationException>(() => ws.Backward(gOut));
        ws.Forward(x, B, T);
        Assert.ThrowsAny<ArgumentException>(() => ws.Backward(new float[gOut.Length + 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Backward(new float[gOut.Length - 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Backward(gOut, new float[B * T * Config.HiddenSize - 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Backward(gOut, default, new float[StateLength + 1]));
        Assert.ThrowsAny<ArgumentException>(() => ws.Backward(gOut, default, default, new float[1]));
        ws.Backward(gOut, new float[B * T * Config.HiddenSize], new float[StateLength], new float[StateLength]); // exact shapes pass
    }

    [Fact]
    public void FinalStateRejectsShortBuffers()
    {
        var (_, ws, x) = Setup();
        ws.Forward(x, B, T);
        Assert.ThrowsAny<ArgumentException>(() => ws.FinalState(new float[StateLength - 1], new float[StateLength]));
        Assert.ThrowsAny<ArgumentException>(() => ws.FinalState(new float[StateLength], new float[StateLength - 1]));
        var hn = new float[StateLength]; var cn = new float[StateLength];
        ws.FinalState(hn, cn);
        // h_n of the last layer is the last step of its sequence output.
        var y = ws.LayerOutput(Config.Layers - 1);
        int h = Config.HiddenSize;
        for (int b = 0; b < B; b++)
            AssertBitEqual(y.Slice((b * T + T - 1) * h, h), hn.AsSpan(((Config.Layers - 1) * B + b) * h, h), $"h_n row {b}");
    }

    [Fact]
    public void ConfigurationIsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(0, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 4, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 4, LstmConfig.MaxLayers + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 4, 1, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 4, Dropout: 1f)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LstmNetwork(new LstmConfig(3, 4, Dropout: float.NaN)));
        var net = new LstmNetwork(new LstmConfig(3, 4, 2, 5, Peepholes: true));
        Assert.Throws<KeyNotFoundException>(() => net.Parameter("lstm.weight_ih_l2"));
        // Layout: PyTorch shapes in state_dict order, contiguous.
        var expected = new (string, int[])[]
        {
            ("lstm.weight_ih_l0", [16, 3]), ("lstm.weight_hh_l0", [16, 4]), ("lstm.bias_ih_l0", [16]), ("lstm.bias_hh_l0", [16]), ("lstm.weight_peephole_l0", [12]),
            ("lstm.weight_ih_l1", [16, 4]), ("lstm.weight_hh_l1", [16, 4]), ("lstm.bias_ih_l1", [16]), ("lstm.bias_hh_l1", [16]), ("lstm.weight_peephole_l1", [12]),
            ("head.weight", [5, 4]), ("head.bias", [5]),
        };
        Assert.Equal(expected.Select(e => e.Item1), net.Layout.Tensors.Select(t => t.Name));
        int offset = 0;
        foreach (var (tensor, (_, shape)) in net.Layout.Tensors.Zip(expected))
        {
            Assert.Equal(shape, tensor.Shape);
            Assert.Equal(offset, tensor.Offset);
            offset += tensor.Length;
        }
        Assert.Equal(offset, net.Layout.TotalLength);
        Assert.Equal(offset, net.Parameters.Length);
    }
}

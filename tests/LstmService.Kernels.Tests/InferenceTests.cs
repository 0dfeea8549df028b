using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// <see cref="LstmWorkspace.Infer"/> keeps one step of gates and cell states instead of all of them; its outputs must be
/// exactly those of <see cref="LstmWorkspace.Forward"/>, on every path (row split, layer wavefront, narrow and wide inputs).
/// </summary>
public class InferenceTests
{
    [Theory]
    [InlineData(1, 1, 16, 1, 40, false, false, int.MaxValue)]   // B = 1 wavefront, narrow input
    [InlineData(1, 1, 16, 1, 40, false, false, 1)]
    [InlineData(3, 1, 24, 3, 17, true, true, int.MaxValue)]      // three layers, peepholes, initial state
    [InlineData(9, 37, 20, 2, 13, true, false, int.MaxValue)]    // wide input, rows split over two threads
    [InlineData(9, 37, 20, 2, 13, true, false, 1)]
    [InlineData(64, 2, 32, 2, 12, false, true, int.MaxValue)]
    [InlineData(5, 6, 8, 1, 1, false, true, int.MaxValue)]       // one step: the cell ring has a single slot in use
    [InlineData(4, 3, 8, 2, 2, true, true, 1)]
    public void InferMatchesForwardBitForBit(int b, int inputs, int hidden, int layers, int t, bool peepholes, bool initialState, int maxThreads)
    {
        var cfg = new LstmConfig(inputs, hidden, layers, 5, Peepholes: peepholes, Dropout: 0.3f);
        var net = LstmNetwork.Create(cfg, 11);
        var rng = new SeededRandom(12);
        if (peepholes)
        {
            for (int l = 0; l < layers; l++)
            {
                var p = net.Parameters.AsSpan(net.Layout[ParameterLayout.Peephole(l)].Offset, 3 * hidden);
                for (int i = 0; i < p.Length; i++) p[i] = rng.NextUniform(-0.5f, 0.5f);
            }
            net.ParametersChanged();
        }
        int state = layers * b * hidden;
        var x = Random(rng, b * t * inputs, -2f, 2f);
        var h0 = initialState ? Random(rng, state) : [];
        var c0 = initialState ? Random(rng, state) : [];

        var forward = net.CreateWorkspace();
        forward.MaxThreads = maxThreads;
        forward.Forward(x, b, t, h0, c0);
        var infer = net.CreateWorkspace();
        infer.MaxThreads = maxThreads;
        // A larger call first, so the ring reuses buffers sized for another shape.
        infer.Infer(Random(rng, (b + 2) * (t + 3) * inputs), b + 2, t + 3);
        infer.Infer(x, b, t, h0, c0);

        AssertBitEqual(forward.Output, infer.Output, "head output");
        for (int l = 0; l < layers; l++) AssertBitEqual(forward.LayerOutput(l), infer.LayerOutput(l), $"layer {l} outputs");
        var (hnF, cnF, hnI, cnI) = (new float[state], new float[state], new float[state], new float[state]);
        forward.FinalState(hnF, cnF);
        infer.FinalState(hnI, cnI);
        AssertBitEqual(hnF, hnI, "h_n");
        AssertBitEqual(cnF, cnI, "c_n");
    }

    [Fact]
    public void BackwardAfterInferIsRefusedUntilTheNextForward()
    {
        var cfg = new LstmConfig(2, 8, 2, 1);
        var net = LstmNetwork.Create(cfg, 1);
        var ws = net.CreateWorkspace();
        var x = Random(new SeededRandom(2), 3 * 4 * 2);
        ws.Infer(x, 3, 4);
        var e = Assert.Throws<InvalidOperationException>(() => ws.Backward(new float[3]));
        Assert.Contains("Infer", e.Message);
        ws.Forward(x, 3, 4);
        ws.Backward(new float[3]);
        Assert.Equal(3 * 4 * 2, ws.InputGradient.Length);
    }

    [Fact]
    public void Inference_allocates_gates_and_cells_per_sequence_not_per_row()
    {
        // One layer and a wide batch (no wavefront): x (I) and the output (H) per row; the gates (4H) of one step and the
        // cell and tanh(cell) rings (two steps of H each) per sequence; besides, the initial states and the weights packed on
        // first use (their padding depends on the vector width): about 19,000 floats, under half of the 7H per row a
        // forward that keeps activations holds.
        const int b = 32, t = 20, i = 3, h = 16;
        var net = LstmNetwork.Create(new LstmConfig(i, h, 1, 4), 5);
        var x = Random(new SeededRandom(9), b * t * i);
        long perRowFloats = (long)b * t * (i + 7 * h); // what gates and cells kept for every row would take: 73,600
        var ws = net.CreateWorkspace();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ws.Infer(x, b, t);
        long inference = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(inference < perRowFloats * sizeof(float) / 2, $"Inference allocated {inference} bytes; every row's gates and cells would take {perRowFloats} floats.");

        // The same workspace then trains as a fresh one would.
        var dOut = Random(new SeededRandom(4), b * 4);
        var fresh = net.CreateWorkspace();
        fresh.Forward(x, b, t);
        fresh.Backward(dOut);
        var expected = net.Gradients.ToArray();
        Array.Clear(net.Gradients);
        ws.Forward(x, b, t);
        ws.Backward(dOut);
        AssertBitEqual(expected, net.Gradients, "parameter gradients after inference in the same workspace");
    }
}


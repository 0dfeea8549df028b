using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>A warmed-up workspace allocates nothing on the calling thread: forward, and a whole training step.</summary>
public class AllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, false, 16)]
    [InlineData(int.MaxValue, false, 16)]
    [InlineData(1, true, 16)]
    [InlineData(int.MaxValue, true, 16)]
    [InlineData(int.MaxValue, false, 1)]
    [InlineData(int.MaxValue, true, 1)]
    public void WarmWorkspaceDoesNotAllocate(int maxThreads, bool trainingStep, int b)
        => AssertNoAllocation(maxThreads, b, trainingStep ? Pass.Train : Pass.Forward);

    [Theory]
    [InlineData(1, 16)]
    [InlineData(int.MaxValue, 16)]
    [InlineData(int.MaxValue, 1)]
    public void WarmWorkspaceInfersWithoutAllocating(int maxThreads, int b) => AssertNoAllocation(maxThreads, b, Pass.Infer);

    public enum Pass { Forward, Infer, Train }

    void AssertNoAllocation(int maxThreads, int b, Pass pass)
    {
        bool trainingStep = pass == Pass.Train;
        // B = 16: the default splits rows over two threads; B = 1 (no dropout): the default runs a layer wavefront.
        // Peepholes and dropout take their own paths.
        var cfg = new LstmConfig(3, 32, 2, 2, Peepholes: true, Dropout: b > 1 ? 0.25f : 0f);
        var net = LstmNetwork.Create(cfg, 3);
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        int t = b > 1 ? 20 : 40;
        var rng = new SeededRandom(4);
        var x = Random(rng, b * t * cfg.InputSize);
        var h0 = Random(rng, cfg.Layers * b * cfg.HiddenSize);
        var c0 = Random(rng, cfg.Layers * b * cfg.HiddenSize);
        var target = Random(rng, b * cfg.OutputSize);
        var grad = new float[target.Length];
        var adam = new AdamOptimizer(net.Parameters.Length);

        void Step(ulong seed)
        {
            if (pass == Pass.Forward) { ws.Forward(x, b, t, h0, c0); return; }
            if (pass == Pass.Infer) { ws.Infer(x, b, t, h0, c0); return; }
            ws.Forward(x, b, t, h0, c0, training: true, dropoutSeed: seed);
            Losses.MeanSquaredError(ws.Output, target, grad);
            ws.Backward(grad);
            GradientClipping.ClipByGlobalNorm(net.Gradients, 1f);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        }

        AssertWarmCallsDoNotAllocate(Step, output.WriteLine, $"B={b} MaxThreads={maxThreads} pass={pass}");
    }
}

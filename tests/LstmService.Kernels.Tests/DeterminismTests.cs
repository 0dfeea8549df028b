using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>Training is reproducible bit for bit, whatever the thread split and workspace history.</summary>
public class DeterminismTests
{
    // B x T x H large enough for the row split to use two threads (and weight gradients split by gate rows).
    static readonly LstmConfig Config = new(3, 32, 2, 2, Dropout: 0.2f);
    const int B = 16, T = 20, Steps = 4;

    static float[] Train(int maxThreads, WorkerTeam? team = null)
    {
        var net = LstmNetwork.Create(Config, 2024, forgetBiasOne: true);
        if (team is not null) net.Team = team;
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        var adam = new AdamOptimizer(net.Parameters.Length, 3e-3f, weightDecay: 1e-2f);
        var rng = new SeededRandom(99);
        var x = Random(rng, B * T * Config.InputSize);
        var target = Random(rng, B * Config.OutputSize);
        target[3] = float.NaN;
        var grad = new float[target.Length];
        for (int step = 0; step < Steps; step++)
        {
            ws.Forward(x, B, T, training: true, dropoutSeed: (ulong)step);
            Losses.MeanSquaredError(ws.Output, target, grad);
            ws.Backward(grad);
            GradientClipping.ClipByGlobalNorm(net.Gradients, 1f);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        }
        return (float[])net.Parameters.Clone();
    }

    [Fact]
    public void TrainingIsBitReproducibleAcrossThreadCounts()
    {
        var first = Train(int.MaxValue);
        var second = Train(int.MaxValue);
        AssertBitEqual(first, second, "parameters, two identical runs");
        var single = Train(1);
        AssertBitEqual(first, single, "parameters, MaxThreads = 1 vs default");
        using var team = new WorkerTeam(2);
        var pair = Train(int.MaxValue, team);
        AssertBitEqual(first, pair, "parameters, dedicated two-thread team vs default");
        // And training did move the parameters.
        var initial = LstmNetwork.Create(Config, 2024, forgetBiasOne: true).Parameters;
        Assert.True(initial.Zip(first).Count(p => p.First != p.Second) > initial.Length / 2, "Training left most parameters unchanged.");
    }

    /// <summary>
    /// One sequence through a deep enough stack: too few rows to split, so the default runs the layers as a two-thread
    /// wavefront (lower layers on one core, upper on the other) while MaxThreads = 1 runs them one after the other.
    /// </summary>
    [Fact]
    public void SingleSequenceWavefrontIsBitIdenticalToOneThread()
    {
        var cfg = new LstmConfig(3, 32, 3, 2, Peepholes: true);
        const int t = 30;
        float[] Run(int maxThreads, WorkerTeam? team)
        {
            var net = LstmNetwork.Create(cfg, 31);
            if (team is not null) net.Team = team;
            var rng = new SeededRandom(32);
            var peep = net.Parameters.AsSpan(net.Layout[ParameterLayout.Peephole(1)].Offset, 3 * cfg.HiddenSize);
            for (int i = 0; i < peep.Length; i++) peep[i] = rng.NextUniform(-0.5f, 0.5f);
            net.ParametersChanged();
            var ws = net.CreateWorkspace();
            ws.MaxThreads = maxThreads;
            var x = Random(rng, t * cfg.InputSize);
            var h0 = Random(rng, cfg.Layers * cfg.HiddenSize);
            var c0 = Random(rng, cfg.Layers * cfg.HiddenSize);
            var target = Random(rng, cfg.OutputSize);
            var grad = new float[cfg.OutputSize];
            var adam = new AdamOptimizer(net.Parameters.Length, 1e-2f);
            var trace = new List<float>();
            for (int step = 0; step < 3; step++)
            {
                ws.Forward(x, 1, t, h0, c0);
                trace.AddRange(ws.Output.ToArray());
                for (int l = 0; l < cfg.Layers; l++) trace.AddRange(ws.LayerOutput(l).ToArray());
                Losses.MeanSquaredError(ws.Output, target, grad);
                ws.Backward(grad);
                trace.AddRange(ws.InputGradient.ToArray());
                adam.Step(net.Parameters, net.Gradients);
                net.ParametersChanged();
            }
            trace.AddRange(net.Parameters);
            return trace.ToArray();
        }
        var single = Run(1, null);
        AssertBitEqual(single, Run(int.MaxValue, null), "B = 1, shared team vs MaxThreads = 1");
        using var team = new WorkerTeam(2);
        AssertBitEqual(single, Run(int.MaxValue, team), "B = 1, dedicated two-thread team vs MaxThreads = 1");
    }

    [Fact]
    public void CreateIsDeterministicAndSeedDependent()
    {
        var a = LstmNetwork.Create(Config, 7).Parameters;
        var b = LstmNetwork.Create(Config, 7).Parameters;
        var c = LstmNetwork.Create(Config, 8).Parameters;
        AssertBitEqual(a, b, "same seed");
        Assert.False(a.SequenceEqual(c), "different seeds gave the same parameters");
        float bound = 1f / MathF.Sqrt(Config.HiddenSize);
        Assert.All(a, v => Assert.InRange(v, -bound, bound));

        var f = LstmNetwork.Create(Config, 7, forgetBiasOne: true);
        int h = Config.HiddenSize;
        Assert.All(f.Parameter(ParameterLayout.BiasIh(1)).Slice(h, h).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(f.Parameter(ParameterLayout.BiasHh(1)).Slice(h, h).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ReusedWorkspaceGivesTheSameResultsAsAFreshOne()
    {
        var net = LstmNetwork.Create(new LstmConfig(4, 12, 2, 3, Peepholes: true), 5);
        var rng = new SeededRandom(6);
        var x1 = Random(rng, 3 * 7 * 4);
        var x2 = Random(rng, 5 * 2 * 4);
        var g1 = Random(rng, 3 * 3);
        var g2 = Random(rng, 5 * 3);

        (float[] Out, float[] Grad, float[] Dx) Pass(LstmWorkspace ws, float[] x, int b, int t, float[] g)
        {
            ws.Forward(x, b, t);
            var output = ws.Output.ToArray();
            ws.Backward(g);
            return (output, (float[])net.Gradients.Clone(), ws.InputGradient.ToArray());
        }

        var fresh1 = Pass(net.CreateWorkspace(), x1, 3, 7, g1);
        var fresh2 = Pass(net.CreateWorkspace(), x2, 5, 2, g2);
        var reused = net.CreateWorkspace();
        var r1 = Pass(reused, x1, 3, 7, g1);   // B 3, T 7
        var r2 = Pass(reused, x2, 5, 2, g2);   // more rows in the batch, fewer steps
        var r3 = Pass(reused, x1, 3, 7, g1);   // back to the first shape
        foreach (var (expected, actual, name) in new[] { (fresh1, r1, "first"), (fresh2, r2, "second"), (fresh1, r3, "third") })
        {
            AssertBitEqual(expected.Out, actual.Out, $"{name} pass output");
            AssertBitEqual(expected.Grad, actual.Grad, $"{name} pass gradients");
            AssertBitEqual(expected.Dx, actual.Dx, $"{name} pass input gradient");
        }
    }

    [Fact]
    public void BackwardAccumulateAddsToExistingGradients()
    {
        var net = LstmNetwork.Create(new LstmConfig(2, 8, 2, 1, Peepholes: true), 9);
        var rng = new SeededRandom(10);
        var x = Random(rng, 4 * 5 * 2);
        var g = Random(rng, 4);
        var ws = net.CreateWorkspace();
        ws.Forward(x, 4, 5);
        ws.Backward(g);
        var once = (float[])net.Gradients.Clone();
        ws.Forward(x, 4, 5);
        ws.Backward(g, accumulate: true);
        var twice = once.Select(v => 2 * v).ToArray();
        AssertClose(twice, net.Gradients, 1e-7, 1e-5, "accumulated gradients");
        ws.Forward(x, 4, 5);
        ws.Backward(g);
        AssertBitEqual(once, net.Gradients, "gradients after a non-accumulating backward");
    }
}

using Xunit.Abstractions;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// The GRU workspace as the LSTM's is tested: a warm workspace allocates nothing, training is bit-identical for any
/// thread split, Infer is Forward bit for bit, dropout is drawn from its seed alone, and bad arguments are refused.
/// </summary>
public class GruWorkspaceTests(ITestOutputHelper output)
{
    // B x T x H large enough for the row split to use two threads (and weight gradients split by gate rows).
    static readonly GruConfig Config = new(3, 32, 2, 2, Dropout: 0.2f);
    const int B = 16, T = 20;

    static float[] Train(int maxThreads, WorkerTeam? team = null, int steps = 4)
    {
        var net = GruNetwork.Create(Config, 2024);
        if (team is not null) net.Team = team;
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        var adam = new AdamOptimizer(net.Parameters.Length, 3e-3f, weightDecay: 1e-2f);
        var rng = new SeededRandom(99);
        var x = Random(rng, B * T * Config.InputSize);
        var target = Random(rng, B * Config.OutputSize);
        var grad = new float[target.Length];
        for (int step = 0; step < steps; step++)
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
        AssertBitEqual(first, Train(int.MaxValue), "parameters, two identical runs");
        AssertBitEqual(first, Train(1), "parameters, MaxThreads = 1 vs default");
        using (var team = new WorkerTeam(2)) AssertBitEqual(first, Train(int.MaxValue, team), "parameters, two-thread team vs default");
        using (var team = new WorkerTeam(3)) AssertBitEqual(first, Train(int.MaxValue, team), "parameters, three-thread team vs default");
        var initial = GruNetwork.Create(Config, 2024).Parameters;
        Assert.True(initial.Zip(first).Count(p => p.First != p.Second) > initial.Length / 2, "Training left most parameters unchanged.");
    }

    [Fact]
    public void DropoutDependsOnTheSeedOnly()
    {
        var net = GruNetwork.Create(Config, 5);
        var ws = net.CreateWorkspace();
        var x = Random(new SeededRandom(6), B * T * Config.InputSize);
        float[] Out(bool training, ulong seed) { ws.Forward(x, B, T, training: training, dropoutSeed: seed); return ws.Output.ToArray(); }
        var a = Out(true, 1);
        AssertBitEqual(a, Out(true, 1), "same seed");
        Assert.NotEqual(a, Out(true, 2));
        var eval = Out(false, 1);
        AssertBitEqual(eval, Out(false, 2), "no dropout outside training");
        ws.Infer(x, B, T);
        AssertBitEqual(eval, ws.Output, "Infer = Forward without training");
    }

    [Theory]
    [InlineData(3, 16)]   // narrow input: the input projection without a GEMM
    [InlineData(9, 16)]   // wide input: one GEMM per step instead of one for all steps
    [InlineData(9, 1)]
    public void InferIsForwardBitForBit(int inputs, int b)
    {
        var cfg = new GruConfig(inputs, 24, 3, 3);
        const int t = 12;
        var rng = new SeededRandom(41);
        var x = Random(rng, b * t * inputs);
        var h0 = Random(rng, cfg.Layers * b * cfg.HiddenSize);
        foreach (var (maxThreads, teamSize) in new[] { (1, 0), (int.MaxValue, 0), (int.MaxValue, 2) })
        {
            var net = GruNetwork.Create(cfg, 42);
            using var team = teamSize > 0 ? new WorkerTeam(teamSize) : null;
            if (team is not null) net.Team = team;
            var ws = net.CreateWorkspace();
            ws.MaxThreads = maxThreads;
            ws.Forward(x, b, t, h0);
            var output = ws.Output.ToArray();
            var top = ws.LayerOutput(cfg.Layers - 1).ToArray();
            var hn = new float[h0.Length];
            ws.FinalState(hn);
            ws.Infer(x, b, t, h0);
            string what = $"I={inputs} B={b} MaxThreads={maxThreads} team={teamSize}";
            AssertBitEqual(output, ws.Output, $"head output, {what}");
            AssertBitEqual(top, ws.LayerOutput(cfg.Layers - 1), $"last layer's sequence, {what}");
            var hnInfer = new float[h0.Length];
            ws.FinalState(hnInfer);
            AssertBitEqual(hn, hnInfer, $"h_n, {what}");
            Assert.Throws<InvalidOperationException>(() => ws.Backward(new float[b * cfg.OutputSize]));
        }
    }

    public enum Pass { Forward, Infer, Train }

    [Theory]
    [InlineData(1, Pass.Forward, 16)]
    [InlineData(int.MaxValue, Pass.Forward, 16)]
    [InlineData(1, Pass.Train, 16)]
    [InlineData(int.MaxValue, Pass.Train, 16)]
    [InlineData(int.MaxValue, Pass.Train, 1)]
    [InlineData(1, Pass.Infer, 16)]
    [InlineData(int.MaxValue, Pass.Infer, 16)]
    public void WarmWorkspaceDoesNotAllocate(int maxThreads, Pass pass, int b)
    {
        var cfg = new GruConfig(3, 32, 2, 2, Dropout: b > 1 ? 0.25f : 0f);
        var net = GruNetwork.Create(cfg, 3);
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        int t = b > 1 ? 20 : 40;
        var rng = new SeededRandom(4);
        var x = Random(rng, b * t * cfg.InputSize);
        var h0 = Random(rng, cfg.Layers * b * cfg.HiddenSize);
        var target = Random(rng, b * cfg.OutputSize);
        var grad = new float[target.Length];
        var adam = new AdamOptimizer(net.Parameters.Length);

        void Step(ulong seed)
        {
            if (pass == Pass.Forward) { ws.Forward(x, b, t, h0); return; }
            if (pass == Pass.Infer) { ws.Infer(x, b, t, h0); return; }
            ws.Forward(x, b, t, h0, training: true, dropoutSeed: seed);
            Losses.MeanSquaredError(ws.Output, target, grad);
            ws.Backward(grad);
            GradientClipping.ClipByGlobalNorm(net.Gradients, 1f);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        }

        AssertWarmCallsDoNotAllocate(Step, output.WriteLine, $"B={b} MaxThreads={maxThreads} pass={pass}");
    }

    [Fact]
    public void LearnsToRememberTheFirstInput()
    {
        // A task only a working recurrence solves: output the first of 12 inputs, so it must survive 11 gated updates.
        var cfg = new GruConfig(1, 16, 2, 1);
        var net = GruNetwork.Create(cfg, 11);
        var ws = net.CreateWorkspace();
        var adam = new AdamOptimizer(net.Parameters.Length, 1e-2f);
        const int b = 32, t = 12;
        var rng = new SeededRandom(12);
        var x = new float[b * t]; var target = new float[b]; var grad = new float[b];
        double Loss() { double l = 0; for (int i = 0; i < b; i++) l += Math.Pow(ws.Output[i] - target[i], 2); return l / b; }
        void Draw() { for (int i = 0; i < x.Length; i++) x[i] = rng.NextUniform(-1f, 1f); for (int i = 0; i < b; i++) target[i] = x[i * t]; }
        Draw(); ws.Forward(x, b, t);
        double initial = Loss();
        for (int step = 0; step < 300; step++)
        {
            Draw();
            ws.Forward(x, b, t, training: true);
            Losses.MeanSquaredError(ws.Output, target, grad);
            ws.Backward(grad);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        }
        Draw(); ws.Infer(x, b, t);
        double final = Loss();
        output.WriteLine($"MSE on fresh data: {initial:F4} before training, {final:F4} after 300 steps");
        // Predicting the mean (0) scores Var(U(-1, 1)) = 0.333; a GRU that carries the first input does far better.
        Assert.True(final < 0.1 * initial && final < 0.03, $"MSE {final:F4} after training (initially {initial:F4}).");
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var net = GruNetwork.Create(new GruConfig(2, 4, 2, 1), 1);
        var ws = net.CreateWorkspace();
        Assert.Throws<InvalidOperationException>(() => ws.Backward(new float[1]));
        Assert.Throws<ArgumentException>(() => ws.Forward(new float[5], 1, 3));
        Assert.Throws<ArgumentException>(() => ws.Forward(new float[6], 1, 3, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ws.Forward(new float[6], 0, 3));
        ws.Forward(new float[6], 1, 3);
        Assert.Throws<ArgumentException>(() => ws.Backward(new float[2]));
        Assert.Throws<ArgumentException>(() => ws.Backward(new float[1], new float[5]));
        Assert.Throws<ArgumentException>(() => ws.FinalState(new float[7]));
        ws.Backward(new float[1]);
        Assert.Throws<InvalidOperationException>(() => ws.Backward(new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruConfig(0, 4).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruNetwork(new GruConfig(2, 4, Layers: 9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GruConfig(2, 4, Dropout: 1f).Validate());
        Assert.Equal(new GruConfig(5, 7, 2, 3).ParameterCount(), new GruNetwork(new GruConfig(5, 7, 2, 3)).Parameters.Length);
    }
    [Fact]
    public void AnInferenceWorkspaceNeverAllocatesTheBackwardBuffers()
    {
        // One layer, so no dropout buffers: inference needs x (I) and the output (H) per row, and both gate sides (3H each)
        // for one step per sequence only (a forward that keeps activations holds them for every row: 7H per row).
        const int b = 32, t = 20, i = 3, h = 16;
        var net = GruNetwork.Create(new GruConfig(i, h, 1, 4), 5);
        var x = new float[b * t * i];
        var rng = new SeededRandom(9);
        for (int k = 0; k < x.Length; k++) x[k] = rng.NextUniform(-1f, 1f);
        // Besides: the initial state, the head's output and the weights packed on first use (their padding depends on the
        // vector width), so the bound is half of what gates kept for every row would take (73,600 floats here; about 15,000
        // to 19,500 are allocated at 512 to 128 bits).
        long perRowFloats = (long)b * t * (i + 7 * h);

        var ws = net.CreateWorkspace();
        long before = GC.GetAllocatedBytesForCurrentThread();
        ws.Infer(x, b, t);
        long inference = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(inference < perRowFloats * sizeof(float) / 2, $"Inference allocated {inference} bytes; gates for every row would take {perRowFloats} floats.");
        Assert.True(ws.InputGradient.IsEmpty);

        // Training in the same workspace allocates the backward side once, on its first Backward: at least dY and the packed
        // previous states (H each per row), and the input gradient (I per row).
        ws.Forward(x, b, t, training: true);
        _ = net.Gradients;
        before = GC.GetAllocatedBytesForCurrentThread();
        ws.Backward(new float[b * 4]);
        long backward = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(backward >= (long)b * t * (2 * h + i) * sizeof(float), $"Backward allocated {backward} bytes.");
        Assert.Equal(b * t * i, ws.InputGradient.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_workspace_that_inferred_first_trains_as_a_fresh_one(int layers)
    {
        // Inference sizes the gate rows for one step per sequence; a forward that keeps activations must grow them to every row.
        var cfg = new GruConfig(3, 12, layers, 4);
        var net = GruNetwork.Create(cfg, 8);
        var rng = new SeededRandom(10);
        const int b = 6, t = 9;
        var x = Random(rng, b * t * 3);
        var dOut = Random(rng, b * 4);

        var fresh = net.CreateWorkspace();
        fresh.Forward(x, b, t);
        fresh.Backward(dOut);
        var expected = net.Gradients.ToArray();
        var expectedInput = fresh.InputGradient.ToArray();

        var reused = net.CreateWorkspace();
        reused.Infer(Random(rng, (b + 3) * (t + 2) * 3), b + 3, t + 2);
        reused.Infer(x, b, t);
        AssertBitEqual(fresh.Output, reused.Output, "inferred output");
        Array.Clear(net.Gradients);
        reused.Forward(x, b, t);
        reused.Backward(dOut);
        AssertBitEqual(expected, net.Gradients, "parameter gradients");
        AssertBitEqual(expectedInput, reused.InputGradient, "input gradient");
    }
}

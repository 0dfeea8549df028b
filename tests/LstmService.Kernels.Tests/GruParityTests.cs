using System.Text.Json;
using Xunit.Abstractions;
using static LstmService.Kernels.Tests.TorchVectors;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// The GRU against torch.nn.GRU + nn.Linear in float64 (tools/make_gru_vectors.py; the vectors are
/// tests/LstmService.Kernels.Tests/Reference/gru_torch_vectors.json): outputs, final states and every gradient, with the
/// LSTM parity test's tolerances; then one thread, the default split and a two-thread team bit for bit.
/// </summary>
public class GruParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All("gru").Select(c => new object[] { c.File, c.Case });

    [Fact]
    public void ReferenceCasesArePresent()
    {
        Assert.True(ReferenceCases.Directory is not null, $"No reference directory found (searched: {ReferenceCases.Searched}).");
        var cases = ReferenceCases.All("gru").ToList();
        // Seven shapes: narrow and wide inputs, one to three layers, with and without h0.
        Assert.True(cases.Count >= 7, $"{cases.Count} GRU reference cases in {ReferenceCases.Directory}; expected gru_torch_vectors.json's 7.");
        output.WriteLine($"{cases.Count} GRU reference cases in {ReferenceCases.Directory}");
    }

    static string[] LayerNames(int l) => [GruParameterLayout.WeightIh(l), GruParameterLayout.WeightHh(l), GruParameterLayout.BiasIh(l), GruParameterLayout.BiasHh(l)];

    sealed record RunResult(float[] Y, float[] Hn, float[] Out, float[] Gradients, float[] Dx, float[] Dh0);

    static RunResult Run(GruNetwork net, int maxThreads, int b, int t, float[] x, float[] h0, float[] gradOut, float[] gradY)
    {
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        ws.Forward(x, b, t, h0);
        var cfg = net.Config;
        var hn = new float[cfg.Layers * b * cfg.HiddenSize];
        ws.FinalState(hn);
        var y = ws.LayerOutput(cfg.Layers - 1).ToArray();
        var output = ws.Output.ToArray();
        ws.Backward(gradOut, gradY);
        return new RunResult(y, hn, output, (float[])net.Gradients.Clone(), ws.InputGradient.ToArray(), ws.InitialHiddenGradient.ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string file, string caseName)
    {
        var c = ReferenceCases.Case(file, caseName);
        int T = c.GetProperty("T").GetInt32(), B = c.GetProperty("B").GetInt32(), I = c.GetProperty("I").GetInt32();
        int H = c.GetProperty("H").GetInt32(), L = c.GetProperty("L").GetInt32(), O = c.GetProperty("O").GetInt32();
        var net = new GruNetwork(new GruConfig(I, H, L, O));
        LoadStack(c, 3, net.Parameter, LayerNames, GruParameterLayout.HeadWeight, GruParameterLayout.HeadBias);
        net.ParametersChanged();

        var x = Floats(c.GetProperty("x").GetProperty("data"));
        var h0 = Floats(c.GetProperty("h0").GetProperty("data"));
        var gradY = Floats(c.GetProperty("grad_y").GetProperty("data"));
        var gradOut = Floats(c.GetProperty("grad_head_out").GetProperty("data"));

        var run = Run(net, int.MaxValue, B, T, x, h0, gradOut, gradY);
        var results = new List<CompareResult>
        {
            Compare(Data(c, "y"), run.Y, "y"),
            Compare(Data(c, "h_n"), run.Hn, "h_n"),
            Compare(Data(c, "head_out"), run.Out, "head_out"),
        };
        ReadOnlySpan<float> G(string name) { var t = net.Layout[name]; return run.Gradients.AsSpan(t.Offset, t.Length); }
        CompareGradients(c, G, LayerNames, GruParameterLayout.HeadWeight, GruParameterLayout.HeadBias, results);
        results.Add(Compare(Doubles(c.GetProperty("x").GetProperty("grad")), run.Dx, "d x"));
        results.Add(Compare(Doubles(c.GetProperty("h0").GetProperty("grad")), run.Dh0, "d h0"));

        var worst = results.MaxBy(r => r.WorstRatio);
        output.WriteLine($"{file}/{caseName} T={T} B={B} I={I} H={H} L={L} O={O} path={KernelInfo.ActivePath}: max |err| {results.Max(r => r.MaxAbsError):E2}; worst vs tolerance: {worst}");
        foreach (var r in results) output.WriteLine("  " + r);

        var single = Run(net, 1, B, T, x, h0, gradOut, gradY);
        using var team = new WorkerTeam(2);
        net.Team = team;
        var pair = Run(net, int.MaxValue, B, T, x, h0, gradOut, gradY);
        foreach (var (other, label) in new[] { (single, "MaxThreads=1"), (pair, "2-thread team") })
        {
            AssertBitEqual(run.Y, other.Y, $"y ({label})");
            AssertBitEqual(run.Hn, other.Hn, $"h_n ({label})");
            AssertBitEqual(run.Out, other.Out, $"head_out ({label})");
            AssertBitEqual(run.Gradients, other.Gradients, $"gradients ({label})");
            AssertBitEqual(run.Dx, other.Dx, $"d x ({label})");
            AssertBitEqual(run.Dh0, other.Dh0, $"d h0 ({label})");
        }
    }
}

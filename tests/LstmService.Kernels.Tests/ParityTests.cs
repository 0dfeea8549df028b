using System.Collections.Concurrent;
using System.Text.Json;
using Xunit.Abstractions;
using static LstmService.Kernels.Tests.TorchVectors;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Reference vectors computed by PyTorch (nn.LSTM or nn.GRU + nn.Linear in float64, see make_lstm_vectors.py and
/// tools/make_gru_vectors.py). The directory is
/// LSTM_REFERENCE_DIR, or else the copy in the repository (tests/LstmService.Kernels.Tests/Reference), so a fresh clone tests
/// with the SDK alone.
/// </summary>
internal static class ReferenceCases
{
    static readonly Lazy<(string? Dir, string Searched)> s_dir = new(Resolve);
    static readonly ConcurrentDictionary<string, JsonDocument> s_docs = new();

    public static string? Directory => s_dir.Value.Dir;
    public static string Searched => s_dir.Value.Searched;

    static (string?, string) Resolve()
    {
        var env = Environment.GetEnvironmentVariable("LSTM_REFERENCE_DIR");
        if (!string.IsNullOrWhiteSpace(env))
        {
            // An explicit directory is used as given: no silent fallback to another set of vectors.
            var full = Path.GetFullPath(env);
            return (System.IO.Directory.Exists(full) ? full : null, $"LSTM_REFERENCE_DIR={full}");
        }
        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "LstmService.sln"))) continue;
            var bundled = Path.Combine(dir.FullName, "tests", "LstmService.Kernels.Tests", "Reference");
            searched.Add(bundled);
            if (System.IO.Directory.Exists(bundled)) return (bundled, bundled);
            break;
        }
        return (null, string.Join(", ", searched));
    }

    public static string[] Files() => Directory is { } d
        ? System.IO.Directory.GetFiles(d, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray()
        : [];

    public static JsonElement Case(string file, string name)
    {
        var doc = s_docs.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory!, f))));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            if (c.GetProperty("name").GetString() == name) return c;
        throw new KeyNotFoundException($"No case '{name}' in {file}.");
    }

    /// <summary>
    /// The cases of every vector file for <paramref name="cell"/>: a file's top-level "cell" says which ("lstm" when absent,
    /// as in the LSTM files made before the GRU's), so each parity test reads only the vectors of its own cell.
    /// </summary>
    public static IEnumerable<(string File, string Case)> All(string cell = "lstm")
    {
        foreach (var path in Files())
        {
            var file = Path.GetFileName(path);
            var doc = s_docs.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory!, f))));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("cases", out var cases)) continue; // not a vector file
            var fileCell = doc.RootElement.TryGetProperty("cell", out var c0) ? c0.GetString() : "lstm";
            if (!string.Equals(fileCell, cell, StringComparison.Ordinal)) continue;
            foreach (var c in cases.EnumerateArray()) yield return (file, c.GetProperty("name").GetString()!);
        }
    }
}

public class ParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All().Select(c => new object[] { c.File, c.Case });

    [Fact]
    public void ReferenceCasesArePresent()
    {
        Assert.True(ReferenceCases.Directory is not null, $"No reference directory found (searched: {ReferenceCases.Searched}). Set LSTM_REFERENCE_DIR.");
        var cases = ReferenceCases.All().ToList();
        Assert.True(cases.Count > 0, $"No reference cases in {ReferenceCases.Directory} (*.json with a 'cases' array).");
        output.WriteLine($"{cases.Count} reference cases in {ReferenceCases.Directory}");
    }

    static string[] LayerNames(int l) => [ParameterLayout.WeightIh(l), ParameterLayout.WeightHh(l), ParameterLayout.BiasIh(l), ParameterLayout.BiasHh(l)];

    sealed record RunResult(float[] Y, float[] Hn, float[] Cn, float[] Out, float[] Gradients, float[] Dx, float[] Dh0, float[] Dc0);

    static RunResult Run(LstmNetwork net, int maxThreads, int b, int t, float[] x, float[] h0, float[] c0, float[] gradOut, float[] gradY)
    {
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        ws.Forward(x, b, t, h0, c0);
        var cfg = net.Config;
        var hn = new float[cfg.Layers * b * cfg.HiddenSize];
        var cn = new float[hn.Length];
        ws.FinalState(hn, cn);
        var y = ws.LayerOutput(cfg.Layers - 1).ToArray();
        var output = ws.Output.ToArray();
        ws.Backward(gradOut, gradY);
        return new RunResult(y, hn, cn, output, (float[])net.Gradients.Clone(), ws.InputGradient.ToArray(),
            ws.InitialHiddenGradient.ToArray(), ws.InitialCellGradient.ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string file, string caseName)
    {
        var c = ReferenceCases.Case(file, caseName);
        int T = c.GetProperty("T").GetInt32(), B = c.GetProperty("B").GetInt32(), I = c.GetProperty("I").GetInt32();
        int H = c.GetProperty("H").GetInt32(), L = c.GetProperty("L").GetInt32(), O = c.GetProperty("O").GetInt32();
        var net = new LstmNetwork(new LstmConfig(I, H, L, O));
        LoadStack(c, 4, net.Parameter, LayerNames, ParameterLayout.HeadWeight, ParameterLayout.HeadBias);
        net.ParametersChanged();

        var x = Floats(c.GetProperty("x").GetProperty("data"));
        var h0 = Floats(c.GetProperty("h0").GetProperty("data"));
        var c0 = Floats(c.GetProperty("c0").GetProperty("data"));
        var gradY = Floats(c.GetProperty("grad_y").GetProperty("data"));
        var gradOut = Floats(c.GetProperty("grad_head_out").GetProperty("data"));

        var run = Run(net, int.MaxValue, B, T, x, h0, c0, gradOut, gradY);
        var results = new List<CompareResult>
        {
            Compare(Data(c, "y"), run.Y, "y"),
            Compare(Data(c, "h_n"), run.Hn, "h_n"),
            Compare(Data(c, "c_n"), run.Cn, "c_n"),
            Compare(Data(c, "head_out"), run.Out, "head_out"),
        };
        ReadOnlySpan<float> G(string name) { var t = net.Layout[name]; return run.Gradients.AsSpan(t.Offset, t.Length); }
        CompareGradients(c, G, LayerNames, ParameterLayout.HeadWeight, ParameterLayout.HeadBias, results);
        results.Add(Compare(Grad(c, "x"), run.Dx, "d x"));
        results.Add(Compare(Grad(c, "h0"), run.Dh0, "d h0"));
        results.Add(Compare(Grad(c, "c0"), run.Dc0, "d c0"));

        var worst = results.MaxBy(r => r.WorstRatio);
        output.WriteLine($"{file}/{caseName} T={T} B={B} I={I} H={H} L={L} O={O} path={KernelInfo.ActivePath}: max |err| {results.Max(r => r.MaxAbsError):E2}; worst vs tolerance: {worst}");
        foreach (var r in results) output.WriteLine("  " + r);

        // One thread and the default split give bit-identical results.
        var single = Run(net, 1, B, T, x, h0, c0, gradOut, gradY);
        AssertBitEqual(run.Y, single.Y, "y (MaxThreads=1)");
        AssertBitEqual(run.Hn, single.Hn, "h_n (MaxThreads=1)");
        AssertBitEqual(run.Cn, single.Cn, "c_n (MaxThreads=1)");
        AssertBitEqual(run.Out, single.Out, "head_out (MaxThreads=1)");
        AssertBitEqual(run.Gradients, single.Gradients, "gradients (MaxThreads=1)");
        AssertBitEqual(run.Dx, single.Dx, "d x (MaxThreads=1)");
        AssertBitEqual(run.Dh0, single.Dh0, "d h0 (MaxThreads=1)");
        AssertBitEqual(run.Dc0, single.Dc0, "d c0 (MaxThreads=1)");

        // A dedicated two-thread team (the split is used even on a one-core machine or when the shared team is busy).
        using var team = new WorkerTeam(2);
        net.Team = team;
        var pair = Run(net, int.MaxValue, B, T, x, h0, c0, gradOut, gradY);
        AssertBitEqual(run.Y, pair.Y, "y (2-thread team)");
        AssertBitEqual(run.Out, pair.Out, "head_out (2-thread team)");
        AssertBitEqual(run.Gradients, pair.Gradients, "gradients (2-thread team)");
        AssertBitEqual(run.Dx, pair.Dx, "d x (2-thread team)");
        AssertBitEqual(run.Dh0, pair.Dh0, "d h0 (2-thread team)");
        AssertBitEqual(run.Dc0, pair.Dc0, "d c0 (2-thread team)");
    }
}

using System.Text.Json;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Reading the PyTorch reference vectors (tools/make_*_vectors.py) into a network and comparing against them: the LSTM's
/// and the GRU's parity tests share the JSON layout (per layer weight_ih, weight_hh, bias_ih, bias_hh, then a head) and
/// the tolerances.
/// </summary>
internal static class TorchVectors
{
    // float32 kernels against float64 PyTorch: float32-plausible, not loose. The absolute part scales with the
    // tensor's largest magnitude (at least 1): an element that is a small difference of large terms (a gradient summed
    // over B x T rows, or carried back through several steps) inherits rounding from the size of those terms.
    const double Atol = 2e-5, Rtol = 1e-4;

    public delegate Span<float> ParameterSpan(string name);
    public delegate ReadOnlySpan<float> GradientSpan(string name);

    static readonly string[] LayerKeys = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];

    public static CompareResult Compare(double[] expected, ReadOnlySpan<float> actual, string what)
    {
        double scale = Math.Max(1.0, expected.Length == 0 ? 0 : expected.Max(Math.Abs));
        return AssertClose(expected, actual, Atol * scale, Rtol, what);
    }

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    public static double[] Data(JsonElement c, string name) => Doubles(c.GetProperty(name).GetProperty("data"));
    public static double[] Grad(JsonElement c, string name) => Doubles(c.GetProperty(name).GetProperty("grad"));

    public static void Load(ParameterSpan parameter, string name, JsonElement tensor, params int[] shape)
    {
        var actualShape = tensor.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.True(shape.SequenceEqual(actualShape), $"{name}: reference shape [{string.Join(",", actualShape)}], network expects [{string.Join(",", shape)}].");
        var data = Floats(tensor.GetProperty("data"));
        var dst = parameter(name);
        Assert.Equal(dst.Length, data.Length);
        data.CopyTo(dst);
    }

    /// <summary>
    /// Loads every layer's four tensors (<paramref name="layerNames"/> gives the network's names for weight_ih, weight_hh,
    /// bias_ih, bias_hh of a layer; <paramref name="gates"/> is 4 for the LSTM, 3 for the GRU) and the head.
    /// </summary>
    public static void LoadStack(JsonElement c, int gates, ParameterSpan parameter, Func<int, string[]> layerNames, string headWeight, string headBias)
    {
        int I = c.GetProperty("I").GetInt32(), H = c.GetProperty("H").GetInt32(), L = c.GetProperty("L").GetInt32(), O = c.GetProperty("O").GetInt32();
        var layers = c.GetProperty("layers");
        Assert.Equal(L, layers.GetArrayLength());
        for (int l = 0; l < L; l++)
        {
            var layer = layers[l];
            var names = layerNames(l);
            Load(parameter, names[0], layer.GetProperty("weight_ih"), gates * H, l == 0 ? I : H);
            Load(parameter, names[1], layer.GetProperty("weight_hh"), gates * H, H);
            Load(parameter, names[2], layer.GetProperty("bias_ih"), gates * H);
            Load(parameter, names[3], layer.GetProperty("bias_hh"), gates * H);
        }
        var head = c.GetProperty("head");
        Load(parameter, headWeight, head.GetProperty("weight"), O, H);
        Load(parameter, headBias, head.GetProperty("bias"), O);
    }

    /// <summary>Compares every parameter gradient (layers, then head) against the reference's, in <see cref="LoadStack"/>'s order.</summary>
    public static void CompareGradients(JsonElement c, GradientSpan gradient, Func<int, string[]> layerNames, string headWeight, string headBias, List<CompareResult> results)
    {
        var layers = c.GetProperty("layers");
        for (int l = 0; l < layers.GetArrayLength(); l++)
        {
            var names = layerNames(l);
            for (int k = 0; k < LayerKeys.Length; k++)
                results.Add(Compare(Doubles(layers[l].GetProperty(LayerKeys[k]).GetProperty("grad")), gradient(names[k]), $"d {names[k]}"));
        }
        var head = c.GetProperty("head");
        results.Add(Compare(Doubles(head.GetProperty("weight").GetProperty("grad")), gradient(headWeight), "d head.weight"));
        results.Add(Compare(Doubles(head.GetProperty("bias").GetProperty("grad")), gradient(headBias), "d head.bias"));
    }
}

using Xunit.Abstractions;
using static LstmService.Kernels.Tests.FiniteDifference;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Central finite differences (float32 forward, loss summed in double) against the GRU's analytic gradients, for what
/// the PyTorch vectors do not cover: dropout between layers, gradients flowing in through h_n, accumulation, and both
/// input paths (narrow inputs without a GEMM, wide ones with it).
/// </summary>
public class GruGradientCheckTests(ITestOutputHelper output)
{
    /// <summary>A network, a batch and the linear loss sum(y·gy) + sum(out·go) + sum(h_n·ghn).</summary>
    sealed class Problem
    {
        public required GruNetwork Net;
        public required int B, T;
        public required float[] X, H0, Gy, Go, Ghn;
        public bool Training;
        public ulong DropoutSeed;
        public GruWorkspace Ws = null!;

        public static Problem Create(GruConfig cfg, int b, int t, ulong seed)
        {
            var rng = new SeededRandom(seed);
            var net = GruNetwork.Create(cfg, seed);
            int state = cfg.Layers * b * cfg.HiddenSize;
            var p = new Problem
            {
                Net = net, B = b, T = t,
                X = Random(rng, b * t * cfg.InputSize),
                H0 = Random(rng, state, -0.5f, 0.5f),
                Gy = Random(rng, b * t * cfg.HiddenSize),
                Go = Random(rng, b * cfg.OutputSize),
                Ghn = Random(rng, state),
            };
            p.Ws = net.CreateWorkspace();
            return p;
        }

        public double Loss()
        {
            var cfg = Net.Config;
            Ws.Forward(X, B, T, H0, Training, DropoutSeed);
            double loss = 0;
            var y = Ws.LayerOutput(cfg.Layers - 1);
            for (int i = 0; i < y.Length; i++) loss += (double)y[i] * Gy[i];
            var o = Ws.Output;
            for (int i = 0; i < o.Length; i++) loss += (double)o[i] * Go[i];
            var hn = new float[cfg.Layers * B * cfg.HiddenSize];
            Ws.FinalState(hn);
            for (int i = 0; i < hn.Length; i++) loss += (double)hn[i] * Ghn[i];
            return loss;
        }

        public (float[] Params, float[] X, float[] H0) Gradients()
        {
            Ws.Forward(X, B, T, H0, Training, DropoutSeed);
            Ws.Backward(Go, Gy, Ghn);
            return ((float[])Net.Gradients.Clone(), Ws.InputGradient.ToArray(), Ws.InitialHiddenGradient.ToArray());
        }
    }

    double CheckAll(Problem p, SeededRandom rng, int perTensor)
    {
        var g = p.Gradients();
        double worst = 0;
        foreach (var tensor in p.Net.Layout.Tensors)
            foreach (int i in Pick(rng, tensor.Length, perTensor))
                worst = Math.Max(worst, Check(p.Loss, p.Net.Parameters, tensor.Offset + i, g.Params[tensor.Offset + i], p.Net.ParametersChanged, $"{tensor.Name}[{i}]", output));
        foreach (int i in Pick(rng, p.X.Length, perTensor))
            worst = Math.Max(worst, Check(p.Loss, p.X, i, g.X[i], () => { }, $"x[{i}]", output));
        foreach (int i in Pick(rng, p.H0.Length, perTensor))
            worst = Math.Max(worst, Check(p.Loss, p.H0, i, g.H0[i], () => { }, $"h0[{i}]", output));
        return worst;
    }

    [Theory]
    [InlineData(3, 5, 2, false)]  // narrow input (no input GEMM), two layers, h_n gradient
    [InlineData(9, 7, 3, false)]  // wide input (input GEMM), three layers
    [InlineData(3, 6, 3, true)]   // dropout between layers while training
    public void AnalyticGradientsMatchFiniteDifferences(int inputs, int hidden, int layers, bool dropout)
    {
        var cfg = new GruConfig(inputs, hidden, layers, 2, Dropout: dropout ? 0.3f : 0f);
        var p = Problem.Create(cfg, 3, 4, (ulong)(inputs * 100 + hidden * 10 + layers));
        p.Training = dropout;
        p.DropoutSeed = 77;
        double worst = CheckAll(p, new SeededRandom(5), 3);
        output.WriteLine($"{cfg}: worst error {worst:P1} of tolerance");
    }

    [Fact]
    public void AccumulateAddsToTheGradients()
    {
        var cfg = new GruConfig(2, 6, 2, 3);
        var p = Problem.Create(cfg, 2, 5, 31);
        var once = p.Gradients().Params;
        p.Ws.Forward(p.X, p.B, p.T, p.H0);
        p.Ws.Backward(p.Go, p.Gy, p.Ghn, accumulate: true);
        for (int i = 0; i < once.Length; i++)
            Assert.True(Math.Abs(p.Net.Gradients[i] - 2 * once[i]) <= 1e-6f + 1e-5f * Math.Abs(once[i]), $"gradient {i}: {p.Net.Gradients[i]} is not twice {once[i]}.");
    }
}

using Xunit.Abstractions;
using static LstmService.Kernels.Tests.FiniteDifference;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Kernels.Tests;

/// <summary>
/// Central finite differences (float32 forward, loss summed in double) against the analytic gradients, for what the
/// PyTorch vectors cannot cover: peepholes, dropout, the loss functions and gradients flowing in through h_n / c_n.
/// </summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    /// <summary>A network, a batch and the linear loss sum(y·gy) + sum(out·go) + sum(h_n·ghn) + sum(c_n·gcn).</summary>
    sealed class Problem
    {
        public required LstmNetwork Net;
        public required int B, T;
        public required float[] X, H0, C0, Gy, Go;
        public float[]? Ghn, Gcn;
        public bool Training;
        public ulong DropoutSeed;
        public LstmWorkspace Ws = null!;

        public static Problem Create(LstmConfig cfg, int b, int t, ulong seed, bool withState = true)
        {
            var rng = new SeededRandom(seed);
            var net = LstmNetwork.Create(cfg, seed);
            int state = cfg.Layers * b * cfg.HiddenSize;
            var p = new Problem
            {
                Net = net, B = b, T = t,
                X = Random(rng, b * t * cfg.InputSize),
                H0 = withState ? Random(rng, state, -0.5f, 0.5f) : new float[state],
                C0 = withState ? Random(rng, state, -0.5f, 0.5f) : new float[state],
                Gy = Random(rng, b * t * cfg.HiddenSize),
                Go = Random(rng, b * cfg.OutputSize),
            };
            p.Ws = net.CreateWorkspace();
            return p;
        }

        public double Loss()
        {
            var cfg = Net.Config;
            Ws.Forward(X, B, T, H0, C0, Training, DropoutSeed);
            double loss = 0;
            var y = Ws.LayerOutput(cfg.Layers - 1);
            for (int i = 0; i < y.Length; i++) loss += (double)y[i] * Gy[i];
            var o = Ws.Output;
            for (int i = 0; i < o.Length; i++) loss += (double)o[i] * Go[i];
            if (Ghn is not null || Gcn is not null)
            {
                var hn = new float[cfg.Layers * B * cfg.HiddenSize];
                var cn = new float[hn.Length];
                Ws.FinalState(hn, cn);
                for (int i = 0; i < hn.Length; i++) loss += (Ghn is null ? 0 : (double)hn[i] * Ghn[i]) + (Gcn is null ? 0 : (double)cn[i] * Gcn[i]);
            }
            return loss;
        }

        /// <summary>Forward + backward; returns copies of (parameter gradients, dx, dh0, dc0).</summary>
        public (float[] Params, float[] X, float[] H0, float[] C0) Gradients()
        {
            Ws.Forward(X, B, T, H0, C0, Training, DropoutSeed);
            Ws.Backward(Go, Gy, Ghn, Gcn);
            return ((float[])Net.Gradients.Clone(), Ws.InputGradient.ToArray(), Ws.InitialHiddenGradient.ToArray(), Ws.InitialCellGradient.ToArray());
        }
    }

    /// <summary>Checks d loss / d values[index] by central differences; returns the error relative to the tolerance.</summary>
    void CheckParameters(Problem p, float[] grads, string name, IEnumerable<int> indices, ref double worst)
    {
        var t = p.Net.Layout[name];
        foreach (int i in indices)
            worst = Math.Max(worst, Check(p.Loss, p.Net.Parameters, t.Offset + i, grads[t.Offset + i], p.Net.ParametersChanged, $"{name}[{i}]", output));
    }

    [Fact]
    public void PeepholeGradients()
    {
        var cfg = new LstmConfig(3, 5, 2, 2, Peepholes: true);
        var p = Problem.Create(cfg, 3, 4, 21);
        var rng = new SeededRandom(22);
        for (int l = 0; l < cfg.Layers; l++)
        {
            // Created peepholes are neutral (0); give them values so every term of their gradient is exercised.
            var peep = p.Net.Parameter(ParameterLayout.Peephole(l));
            for (int i = 0; i < peep.Length; i++) peep[i] = rng.NextUniform(-0.6f, 0.6f);
        }
        p.Net.ParametersChanged();
        var g = p.Gradients();
        double worst = 0;
        int h = cfg.HiddenSize;
        for (int l = 0; l < cfg.Layers; l++)
        {
            // Every unit of the three blocks p_i, p_f, p_o.
            CheckParameters(p, g.Params, ParameterLayout.Peephole(l), Enumerable.Range(0, 3 * h), ref worst);
            CheckParameters(p, g.Params, ParameterLayout.WeightHh(l), Pick(rng, 4 * h * h, 3), ref worst);
            CheckParameters(p, g.Params, ParameterLayout.BiasIh(l), Pick(rng, 4 * h, 2), ref worst);
        }
        CheckParameters(p, g.Params, ParameterLayout.HeadWeight, Pick(rng, 2 * h, 3), ref worst);
        foreach (int i in Pick(rng, p.C0.Length, 3))
            worst = Math.Max(worst, Check(p.Loss, p.C0, i, g.C0[i], () => { }, $"c0[{i}]", output));
        foreach (int i in Pick(rng, p.X.Length, 3))
            worst = Math.Max(worst, Check(p.Loss, p.X, i, g.X[i], () => { }, $"x[{i}]", output));
        output.WriteLine($"peepholes: worst error {worst:P1} of tolerance");
    }

    [Fact]
    public void PeepholeForwardMatchesEquations()
    {
        // One layer, one step from (h0, c0): i, f see c0; o sees c1.
        var cfg = new LstmConfig(2, 3, 1, 1, Peepholes: true);
        var net = LstmNetwork.Create(cfg, 5);
        var rng = new SeededRandom(6);
        var peep = net.Parameter(ParameterLayout.Peephole(0));
        for (int i = 0; i < peep.Length; i++) peep[i] = rng.NextUniform(-1f, 1f);
        net.ParametersChanged();
        var x = Random(rng, 2); var h0 = Random(rng, 3); var c0 = Random(rng, 3);
        var ws = net.CreateWorkspace();
        ws.Forward(x, 1, 1, h0, c0);
        var wih = net.Parameter(ParameterLayout.WeightIh(0)).ToArray(); var whh = net.Parameter(ParameterLayout.WeightHh(0)).ToArray();
        var bih = net.Parameter(ParameterLayout.BiasIh(0)).ToArray(); var bhh = net.Parameter(ParameterLayout.BiasHh(0)).ToArray();
        var pp = peep.ToArray();
        double Pre(int row) { double s = bih[row] + bhh[row]; for (int k = 0; k < 2; k++) s += wih[row * 2 + k] * x[k]; for (int k = 0; k < 3; k++) s += whh[row * 3 + k] * h0[k]; return s; }
        static double Sig(double v) => 1 / (1 + Math.Exp(-v));
        var expectedH = new double[3]; var expectedC = new double[3];
        for (int j = 0; j < 3; j++)
        {
            double i = Sig(Pre(j) + pp[j] * c0[j]), f = Sig(Pre(3 + j) + pp[3 + j] * c0[j]), g = Math.Tanh(Pre(6 + j));
            double c = f * c0[j] + i * g, o = Sig(Pre(9 + j) + pp[6 + j] * c);
            expectedC[j] = c; expectedH[j] = o * Math.Tanh(c);
        }
        var hn = new float[3]; var cn = new float[3];
        ws.FinalState(hn, cn);
        AssertClose(expectedH, hn, 1e-6, 1e-5, "h_1");
        AssertClose(expectedC, cn, 1e-6, 1e-5, "c_1");
    }

    [Fact]
    public void HeadAndFinalStateGradients()
    {
        var cfg = new LstmConfig(2, 6, 2, 3);
        var p = Problem.Create(cfg, 2, 5, 31);
        var rng = new SeededRandom(32);
        p.Ghn = Random(rng, p.H0.Length);
        p.Gcn = Random(rng, p.C0.Length);
        var g = p.Gradients();
        double worst = 0;
        CheckParameters(p, g.Params, ParameterLayout.HeadWeight, Enumerable.Range(0, 3 * 6), ref worst);
        CheckParameters(p, g.Params, ParameterLayout.HeadBias, Enumerable.Range(0, 3), ref worst);
        for (int l = 0; l < cfg.Layers; l++)
        {
            CheckParameters(p, g.Params, ParameterLayout.WeightIh(l), Pick(rng, 24 * cfg.LayerInput(l), 3), ref worst);
            CheckParameters(p, g.Params, ParameterLayout.WeightHh(l), Pick(rng, 24 * 6, 3), ref worst);
            CheckParameters(p, g.Params, ParameterLayout.BiasHh(l), Pick(rng, 24, 2), ref worst);
        }
        foreach (int i in Pick(rng, p.H0.Length, 3))
            worst = Math.Max(worst, Check(p.Loss, p.H0, i, g.H0[i], () => { }, $"h0[{i}]", output));
        foreach (int i in Pick(rng, p.C0.Length, 3))
            worst = Math.Max(worst, Check(p.Loss, p.C0, i, g.C0[i], () => { }, $"c0[{i}]", output));
        output.WriteLine($"head and h_n/c_n gradients: worst error {worst:P1} of tolerance");
    }

    [Fact]
    public void TwoLayerDropoutGradients()
    {
        var cfg = new LstmConfig(2, 6, 2, 1, Dropout: 0.4f);
        var p = Problem.Create(cfg, 3, 4, 41, withState: false);
        p.Training = true;
        p.DropoutSeed = 0xD0D0;

        // The mask is a pure function of the seed: same seed, same output; another seed or inference, another output.
        double l1 = p.Loss(), l2 = p.Loss();
        Assert.Equal(l1, l2);
        var other = Problem.Create(cfg, 3, 4, 41, withState: false);
        Assert.NotEqual(l1, other.Loss()); // inference (no dropout) differs from training
        other.Training = true; other.DropoutSeed = 0xD0D1;
        Assert.NotEqual(l1, other.Loss());
        other.DropoutSeed = 0xD0D0;
        Assert.Equal(l1, other.Loss());

        var g = p.Gradients();
        var rng = new SeededRandom(42);
        double worst = 0;
        CheckParameters(p, g.Params, ParameterLayout.WeightIh(0), Pick(rng, 24 * 2, 4), ref worst);
        CheckParameters(p, g.Params, ParameterLayout.WeightHh(0), Pick(rng, 24 * 6, 3), ref worst);
        CheckParameters(p, g.Params, ParameterLayout.WeightIh(1), Pick(rng, 24 * 6, 4), ref worst);
        CheckParameters(p, g.Params, ParameterLayout.BiasIh(1), Pick(rng, 24, 2), ref worst);
        CheckParameters(p, g.Params, ParameterLayout.HeadWeight, Enumerable.Range(0, 6), ref worst);
        foreach (int i in Pick(rng, p.X.Length, 4))
            worst = Math.Max(worst, Check(p.Loss, p.X, i, g.X[i], () => { }, $"x[{i}]", output));
        output.WriteLine($"dropout: worst error {worst:P1} of tolerance");
    }

    // ---- Loss functions: finite differences directly on Losses, and through the network. ----

    static double LossGradientCheck(Func<float[], float[], float> loss, float[] pred, float eps, ITestOutputHelper log, string what)
    {
        var grad = new float[pred.Length];
        loss(pred, grad);
        double worst = 0;
        var scratch = new float[pred.Length];
        for (int i = 0; i < pred.Length; i++)
        {
            float v = pred[i];
            pred[i] = v + eps; double up = loss(pred, scratch);
            pred[i] = v - eps; double down = loss(pred, scratch);
            pred[i] = v;
            double fd = (up - down) / (2.0 * eps);
            double err = Math.Abs(fd - grad[i]);
            Assert.True(err <= 1e-5 + Rtol * Math.Abs(fd), $"{what}[{i}]: analytic {Fmt(grad[i])}, finite difference {Fmt(fd)}.");
            worst = Math.Max(worst, err);
        }
        log.WriteLine($"{what}: worst |err| {worst:E2}");
        return worst;
    }

    [Fact]
    public void LossFunctionGradients()
    {
        var rng = new SeededRandom(51);
        const float eps = 1e-3f;
        var target = Random(rng, 12, -1f, 1f);
        target[3] = float.NaN; target[8] = float.NaN;
        var pred = new float[12];
        for (int i = 0; i < pred.Length; i++)
        {
            // Keep every residual away from the Huber knee (|d| = 0.5) by more than eps.
            float d = rng.NextUniform(0.1f, 0.35f) * (i % 2 == 0 ? 1 : -1) * (i % 3 == 0 ? 4f : 1f);
            pred[i] = (float.IsNaN(target[i]) ? 0f : target[i]) + d;
        }
        LossGradientCheck((p, g) => Losses.MeanSquaredError(p, target, g), pred, eps, output, "MSE");
        LossGradientCheck((p, g) => Losses.Huber(p, target, g, 0.5f), pred, eps, output, "Huber(0.5)");

        float[] quantiles = [0.1f, 0.5f, 0.9f];
        int steps = 4, rows = 3;
        var y = Random(rng, rows * steps, -1f, 1f);
        y[5] = float.NaN;
        var q = new float[rows * quantiles.Length * steps];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < quantiles.Length; k++)
                for (int s = 0; s < steps; s++)
                {
                    float t = y[r * steps + s];
                    q[(r * quantiles.Length + k) * steps + s] = (float.IsNaN(t) ? 0f : t) + rng.NextUniform(0.05f, 0.5f) * ((r + k + s) % 2 == 0 ? 1 : -1);
                }
        LossGradientCheck((p, g) => Losses.Pinball(p, y, quantiles, steps, g), q, eps, output, "Pinball");
    }

    [Fact]
    public void LossThroughNetworkGradients()
    {
        var cfg = new LstmConfig(2, 5, 1, 3);
        var net = LstmNetwork.Create(cfg, 61);
        var rng = new SeededRandom(62);
        int b = 4, t = 3;
        var x = Random(rng, b * t * 2);
        var target = Random(rng, b * 3);
        target[4] = float.NaN;
        var ws = net.CreateWorkspace();
        var dOut = new float[b * 3];
        Func<double> loss = () => { ws.Forward(x, b, t); return Losses.MeanSquaredError(ws.Output, target, new float[b * 3]); };
        ws.Forward(x, b, t);
        Losses.MeanSquaredError(ws.Output, target, dOut);
        Assert.Equal(0f, dOut[4]); // the missing target
        ws.Backward(dOut);
        var grads = (float[])net.Gradients.Clone();
        double worst = 0;
        foreach (var name in new[] { ParameterLayout.WeightIh(0), ParameterLayout.WeightHh(0), ParameterLayout.BiasIh(0), ParameterLayout.HeadWeight, ParameterLayout.HeadBias })
        {
            var tensor = net.Layout[name];
            foreach (int i in Pick(rng, tensor.Length, 3))
                worst = Math.Max(worst, Check(loss, net.Parameters, tensor.Offset + i, grads[tensor.Offset + i], net.ParametersChanged, $"{name}[{i}]", output));
        }
        output.WriteLine($"loss through network: worst error {worst:P1} of tolerance");
    }
}

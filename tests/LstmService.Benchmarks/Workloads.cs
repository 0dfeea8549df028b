using LstmService.Kernels;

namespace LstmService.Benchmarks;

/// <summary>
/// One benchmark shape, named and sized exactly like the PyTorch peer (peers/torch_lstm_bench.py). The gru- workloads
/// are the LSTM's shapes with a GRU cell (the LibTorch peer's GRU workloads carry the same names).
/// </summary>
sealed record Workload(string Name, int T, int B, int I, int H, int L, int Outputs, bool Train, bool Gru = false)
{
    public static readonly Workload[] All =
    [
        new("train-small", 48, 64, 1, 64, 2, 1, Train: true),
        new("train-medium", 96, 64, 8, 128, 2, 12, Train: true),
        new("infer-b1", 48, 1, 1, 64, 2, 12, Train: false),
        new("infer-b256", 48, 256, 1, 64, 2, 12, Train: false),
        new("infer-large", 100, 64, 512, 512, 1, 1, Train: false),
        new("train-large", 100, 64, 512, 512, 1, 1, Train: true),
        new("gru-train-small", 48, 64, 1, 64, 2, 1, Train: true, Gru: true),
        new("gru-train-medium", 96, 64, 8, 128, 2, 12, Train: true, Gru: true),
        new("gru-infer-b1", 48, 1, 1, 64, 2, 12, Train: false, Gru: true),
        new("gru-infer-b256", 48, 256, 1, 64, 2, 12, Train: false, Gru: true),
    ];

    public string Shape => $"T={T} B={B} I={I} H={H} L={L}";

    /// <summary>GEMM flops as the peer counts them: 2·T·B·GH·(in + H) per layer forward (G = 4 gates, 3 for the GRU), training 3x forward.</summary>
    public double Flops
    {
        get
        {
            double f = 0;
            for (int l = 0; l < L; l++) f += 2.0 * T * B * (Gru ? 3 : 4) * H * ((l == 0 ? I : H) + H);
            return Train ? 3 * f : f;
        }
    }

    /// <summary>Builds the network, data and buffers, and returns one step: forward only, or a full Adam training step.</summary>
    public Action CreateStep(int maxThreads)
    {
        if (Gru) return CreateGruStep(maxThreads);
        var net = LstmNetwork.Create(new LstmConfig(I, H, L, Outputs), seed: 0);
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        var (x, y) = RandomBatch();
        if (!Train) return () => ws.Infer(x, B, T);

        var dOut = new float[B * Outputs];
        var adam = new AdamOptimizer(net.Parameters.Length, learningRate: 1e-3f);
        return () =>
        {
            // Same work as the peer's zero_grad + mse_loss + backward + opt.step (Backward overwrites the gradients).
            ws.Forward(x, B, T, training: true);
            Losses.MeanSquaredError(ws.Output, y, dOut);
            ws.Backward(dOut);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        };
    }

    /// <summary>Gaussian inputs [B, T, I] and targets [B, O] from seed 1: the same data for the LSTM and the GRU.</summary>
    (float[] X, float[] Y) RandomBatch()
    {
        var rng = new SeededRandom(1);
        var x = new float[B * T * I];
        var y = new float[B * Outputs];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        for (int i = 0; i < y.Length; i++) y[i] = (float)rng.NextGaussian();
        return (x, y);
    }

    Action CreateGruStep(int maxThreads)
    {
        var net = GruNetwork.Create(new GruConfig(I, H, L, Outputs), seed: 0);
        var ws = net.CreateWorkspace();
        ws.MaxThreads = maxThreads;
        var (x, y) = RandomBatch();
        if (!Train) return () => ws.Infer(x, B, T);

        var dOut = new float[B * Outputs];
        var adam = new AdamOptimizer(net.Parameters.Length, learningRate: 1e-3f);
        return () =>
        {
            ws.Forward(x, B, T, training: true);
            Losses.MeanSquaredError(ws.Output, y, dOut);
            ws.Backward(dOut);
            adam.Step(net.Parameters, net.Gradients);
            net.ParametersChanged();
        };
    }
}

namespace LstmService.Kernels.Forecasting;

/// <summary>
/// Trains a <see cref="ForecastModel"/> on one or many series (a global model): sliding windows, masked losses
/// for missing targets, Adam with gradient clipping, learning-rate halving on plateau, early stopping that keeps
/// the best epoch's weights, and a rolling-origin backtest of the validation part at the end.
/// </summary>
public static class ForecastTrainer
{
    /// <summary>
    /// Trains on <paramref name="series"/> (NaN = missing) with <paramref name="options"/>; reports every epoch to
    /// <paramref name="progress"/>; throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="ArgumentException"/> naming the bad option or series.
    /// </summary>
    public static TrainingResult Train(IReadOnlyList<float[]> series, TrainingOptions options, Action<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var data = WindowedData.Build(series, options);
        var quantiles = options.Quantiles.Order().ToArray();
        int w = options.InputWindow, s = options.Horizon, q = quantiles.Length, o = s * (1 + q);
        var config = new LstmConfig(1, options.HiddenSize, options.Layers, o, options.Peepholes, options.Dropout);
        var network = LstmNetwork.Create(config, options.Seed, forgetBiasOne: true);
        var ws = network.CreateWorkspace();
        var optimizer = new AdamOptimizer(network.Parameters.Length, options.LearningRate, weightDecay: options.WeightDecay);
        var rng = new SeededRandom(options.Seed ^ 0x5DEECE66DUL);
        var batch = new BatchBuffers(Math.Min(options.BatchSize, data.Train.Count), w, s, q);
        var best = (float[])network.Parameters.Clone();
        var trainLosses = new List<double>();
        var validationLosses = new List<double>();
        double bestScore = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, sincePlateau = 0, plateauPatience = Math.Max(2, options.Patience / 3);
        var order = Enumerable.Range(0, data.Train.Count).ToArray();
        ulong step = 0;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rng.Shuffle(order);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += batch.Capacity)
            {
                int nb = Math.Min(batch.Capacity, order.Length - start);
                batch.Fill(data, data.Train, order.AsSpan(start, nb));
                ws.Forward(batch.X.AsSpan(0, nb * w), nb, w, training: true, dropoutSeed: options.Seed + ++step);
                lossSum += batch.Loss(ws.Output, quantiles, nb, computeGradient: true);
                ws.Backward(batch.OutputGradient.AsSpan(0, nb * o));
                GradientClipping.ClipByGlobalNorm(network.Gradients, options.ClipNorm);
                optimizer.Step(network.Parameters, network.Gradients);
                network.ParametersChanged();
                batches++;
                if ((batches & 7) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            double trainLoss = lossSum / Math.Max(1, batches);
            double validationLoss = data.Validation.Count > 0 ? Evaluate(ws, data, data.Validation, batch, quantiles) : double.NaN;
            trainLosses.Add(trainLoss);
            validationLosses.Add(validationLoss);
            double score = double.IsNaN(validationLoss) ? trainLoss : validationLoss;
            if (!double.IsFinite(score)) throw new InvalidOperationException($"Training diverged at epoch {epoch} (loss {score}); lower the learning rate.");
            if (double.IsPositiveInfinity(bestScore) || score < bestScore - 1e-7 * Math.Abs(bestScore))
            {
                bestScore = score; bestEpoch = epoch; sinceBest = 0; sincePlateau = 0;
                network.Parameters.CopyTo(best, 0);
            }
            else
            {
                sinceBest++;
                if (++sincePlateau >= plateauPatience)
                {
                    optimizer.LearningRate = Math.Max(optimizer.LearningRate * 0.5f, options.LearningRate * 1e-3f);
                    sincePlateau = 0;
                }
            }
            progress?.Invoke(new EpochProgress(epoch, options.Epochs, trainLoss, validationLoss));
            if (sinceBest >= options.Patience) break;
        }

        best.CopyTo(network.Parameters, 0);
        network.ParametersChanged();
        var model = new ForecastModel(network, w, s, quantiles, options.Scaling);
        var metrics = Backtest.Run(model, data);
        return new TrainingResult(model, trainLosses.Count, bestEpoch, trainLosses, validationLosses, data.MissingValues, metrics);
    }

    static double Evaluate(LstmWorkspace ws, WindowedData data, IReadOnlyList<WindowRef> windows, BatchBuffers batch, float[] quantiles)
    {
        double sum = 0;
        int count = 0, w = data.Window;
        var indices = new int[batch.Capacity];
        for (int start = 0; start < windows.Count; start += batch.Capacity)
        {
            int nb = Math.Min(batch.Capacity, windows.Count - start);
            for (int i = 0; i < nb; i++) indices[i] = start + i;
            batch.Fill(data, windows, indices.AsSpan(0, nb));
            ws.Forward(batch.X.AsSpan(0, nb * w), nb, w);
            sum += batch.Loss(ws.Output, quantiles, nb, computeGradient: false) * nb;
            count += nb;
        }
        return sum / Math.Max(1, count);
    }

    static void Validate(TrainingOptions o)
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule}.");
        }
        Check(o.InputWindow is >= 1 and <= 4096, "inputWindow", o.InputWindow, "in 1..4096");
        Check(o.Horizon is >= 1 and <= 1000, "horizon", o.Horizon, "in 1..1000");
        Check(o.HiddenSize is >= 1 and <= 2048, "hiddenSize", o.HiddenSize, "in 1..2048");
        Check(o.Layers is >= 1 and <= LstmConfig.MaxLayers, "layers", o.Layers, $"in 1..{LstmConfig.MaxLayers}");
        Check(o.Dropout >= 0 && o.Dropout < 1, "dropout", o.Dropout, "in [0, 1)");
        Check(o.Epochs >= 1, "epochs", o.Epochs, "at least 1");
        Check(o.BatchSize >= 1, "batchSize", o.BatchSize, "at least 1");
        Check(o.LearningRate > 0 && o.LearningRate <= 1, "learningRate", o.LearningRate, "in (0, 1]");
        Check(o.WeightDecay >= 0 && o.WeightDecay < 1, "weightDecay", o.WeightDecay, "in [0, 1)");
        Check(o.ClipNorm > 0, "clipNorm", o.ClipNorm, "positive");
        Check(o.ValidationFraction >= 0 && o.ValidationFraction <= 0.5, "validationFraction", o.ValidationFraction, "in [0, 0.5]");
        Check(o.Patience >= 1, "patience", o.Patience, "at least 1");
        foreach (var q in o.Quantiles) Check(q > 0 && q < 1, "quantiles", q, "levels in (0, 1)");
        if (o.Quantiles.Distinct().Count() != o.Quantiles.Length) throw new ArgumentException("Quantile levels must be distinct.", "quantiles");
    }
}

/// <summary>One training or validation window: series index and the index of its first target.</summary>
internal readonly record struct WindowRef(int Series, int TargetStart);

/// <summary>The series gap-filled and split by time into training and validation windows.</summary>
internal sealed class WindowedData
{
    public required int Window { get; init; }
    public required int Horizon { get; init; }
    public required ScalingMode Scaling { get; init; }
    public required float[][] Raw { get; init; }
    public required float[][] Filled { get; init; }
    /// <summary>Scaling statistics per series, computed on its training part only.</summary>
    public required (float Center, float Scale)[] Stats { get; init; }
    /// <summary>First index of each series' validation part (= its length when there is none).</summary>
    public required int[] ValidationStart { get; init; }
    public required List<WindowRef> Train { get; init; }
    public required List<WindowRef> Validation { get; init; }
    public required int MissingValues { get; init; }

    public static WindowedData Build(IReadOnlyList<float[]> series, TrainingOptions options)
    {
        if (series.Count == 0) throw new ArgumentException("At least one series is needed.", "series");
        int w = options.InputWindow, s = options.Horizon, n = series.Count;
        var raw = new float[n][]; var filled = new float[n][]; var stats = new (float, float)[n]; var vStart = new int[n];
        var train = new List<WindowRef>(); var validation = new List<WindowRef>();
        int missing = 0;
        for (int i = 0; i < n; i++)
        {
            var values = series[i] ?? throw new ArgumentException($"Series {i} is null.", $"series[{i}]");
            foreach (var v in values) if (float.IsInfinity(v)) throw new ArgumentException($"Series {i} holds an infinite value.", $"series[{i}]");
            int gaps = SeriesMath.CountMissing(values);
            missing += gaps;
            if (values.Length - gaps < w + s) throw new ArgumentException($"Series {i} has {values.Length - gaps} observed values; inputWindow + horizon = {w + s} are needed.", $"series[{i}]");
            if (gaps * 2 > values.Length) throw new ArgumentException($"Series {i} is mostly missing ({gaps} of {values.Length} values).", $"series[{i}]");
            raw[i] = values;
            filled[i] = new float[values.Length];
            SeriesMath.FillGaps(values, filled[i]);
            int len = values.Length;
            int val = (int)Math.Round(len * (double)options.ValidationFraction);
            // Validation needs at least one full window ahead of its first target; otherwise train on everything.
            if (val < s || len - val < w + s) val = 0;
            vStart[i] = len - val;
            stats[i] = SeriesMath.Statistics(filled[i].AsSpan(0, vStart[i]), options.Scaling);
            for (int t = w; t + s <= vStart[i]; t++) train.Add(new WindowRef(i, t));
            for (int t = Math.Max(w, vStart[i]); t + s <= len; t++) validation.Add(new WindowRef(i, t));
        }
        if (train.Count == 0) throw new ArgumentException("The series are too short for one training window.", "series");
        return new WindowedData
        {
            Window = w, Horizon = s, Scaling = options.Scaling, Raw = raw, Filled = filled, Stats = stats,
            ValidationStart = vStart, Train = train, Validation = validation, MissingValues = missing,
        };
    }
}

/// <summary>Reusable buffers for one mini-batch: inputs, scaled targets, split predictions and the output gradient.</summary>
internal sealed class BatchBuffers
{
    readonly int _w, _s, _q;
    readonly float[] _targets, _mean, _meanGrad, _quant, _quantGrad;

    public BatchBuffers(int capacity, int window, int horizon, int quantiles)
    {
        Capacity = Math.Max(1, capacity);
        _w = window; _s = horizon; _q = quantiles;
        X = new float[Capacity * window];
        _targets = new float[Capacity * horizon];
        _mean = new float[Capacity * horizon];
        _meanGrad = new float[Capacity * horizon];
        _quant = new float[Capacity * horizon * quantiles];
        _quantGrad = new float[Capacity * horizon * quantiles];
        OutputGradient = new float[Capacity * horizon * (1 + quantiles)];
    }

    public int Capacity { get; }
    public float[] X { get; }
    public float[] OutputGradient { get; }

    public void Fill(WindowedData data, IReadOnlyList<WindowRef> windows, ReadOnlySpan<int> indices)
    {
        for (int b = 0; b < indices.Length; b++)
        {
            var win = windows[indices[b]];
            var (level, scale) = ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, _w, data.Scaling, data.Stats[win.Series], X.AsSpan(b * _w, _w));
            var raw = data.Raw[win.Series];
            for (int t = 0; t < _s; t++) _targets[b * _s + t] = (raw[win.TargetStart + t] - level) / scale; // NaN stays NaN: masked
        }
    }

    /// <summary>MSE on the mean head plus pinball on the quantile heads, in scaled units; fills <see cref="OutputGradient"/>.</summary>
    public double Loss(ReadOnlySpan<float> output, float[] quantiles, int rows, bool computeGradient)
    {
        int s = _s, q = _q, o = s * (1 + q);
        for (int b = 0; b < rows; b++)
        {
            output.Slice(b * o, s).CopyTo(_mean.AsSpan(b * s, s));
            if (q > 0) output.Slice(b * o + s, q * s).CopyTo(_quant.AsSpan(b * q * s, q * s));
        }
        var targets = _targets.AsSpan(0, rows * s);
        double loss = Losses.MeanSquaredError(_mean.AsSpan(0, rows * s), targets, _meanGrad.AsSpan(0, rows * s));
        if (q > 0) loss += Losses.Pinball(_quant.AsSpan(0, rows * q * s), targets, quantiles, s, _quantGrad.AsSpan(0, rows * q * s));
        if (computeGradient)
            for (int b = 0; b < rows; b++)
            {
                _meanGrad.AsSpan(b * s, s).CopyTo(OutputGradient.AsSpan(b * o, s));
                if (q > 0) _quantGrad.AsSpan(b * q * s, q * s).CopyTo(OutputGradient.AsSpan(b * o + s, q * s));
            }
        return loss;
    }
}

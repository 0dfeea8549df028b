using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Training;

/// <summary>
/// The ensemble members trained side by side: one epoch of every member, then the ensemble's validation loss
/// decides early stopping and the learning-rate schedule for all of them.
/// </summary>
internal sealed class LockstepRun
{
    readonly WindowedData _data;
    readonly TrainingOptions _options;
    readonly float[] _quantiles;
    readonly ComposedHighway? _highway;
    readonly IRecurrentWorkspace[] _workspaces;
    readonly AdamOptimizer[] _optimizers;
    readonly SeededRandom[] _rngs;
    readonly BatchBuffers[] _batches;
    readonly int[][] _orders;
    readonly ulong[] _seeds;
    ulong _step;

    /// <param name="steps">Steps of the head: the horizon (direct) or 1 (recursive).</param>
    public LockstepRun(WindowedData data, TrainingOptions options, float[] quantiles, LinearHighway? highway, int window, int steps)
    {
        _data = data;
        _options = options;
        _quantiles = quantiles;
        int s = steps, q = quantiles.Length, o = s * (1 + q), k = options.Ensemble;
        _highway = highway is null ? null : new ComposedHighway(highway, window, s);
        var config = new RecurrentConfig(options.Cell, data.Layout.Features, options.HiddenSize, options.Layers, o, options.Peepholes, options.Dropout);
        Members = new IRecurrentNetwork[k];
        _workspaces = new IRecurrentWorkspace[k]; _optimizers = new AdamOptimizer[k]; _rngs = new SeededRandom[k]; _batches = new BatchBuffers[k];
        _orders = new int[k][]; _seeds = new ulong[k];
        var warm = options.InitialWeights is { } parent ? WarmMembers(parent, config, k) : null;
        for (int m = 0; m < k; m++)
        {
            _seeds[m] = MemberSeed(options.Seed, m);
            IRecurrentNetwork net;
            if (warm is not null) net = warm[m];
            else
            {
                net = config.Create(_seeds[m], forgetBiasOne: true);
                // A zero head starts every member at the highway's forecast (or the last level without one), not at noise.
                net.Parameter(ParameterLayout.HeadWeight).Clear();
                net.Parameter(ParameterLayout.HeadBias).Clear();
                net.ParametersChanged();
            }
            Members[m] = net;
            _workspaces[m] = net.CreateWorkspace();
            _optimizers[m] = new AdamOptimizer(net.Parameters.Length, options.LearningRate, weightDecay: options.WeightDecay);
            _rngs[m] = new SeededRandom(_seeds[m] ^ 0x5DEECE66DUL);
            _batches[m] = new BatchBuffers(Math.Min(options.BatchSize, data.Train.Count), data.Layout, s, q, _highway);
            _orders[m] = Enumerable.Range(0, data.Train.Count).ToArray();
        }
    }

    public IRecurrentNetwork[] Members { get; }

    /// <summary>
    /// The members a warm start continues from: the parent's merged network split back into its members, each copied into a
    /// network of this run's configuration (which may differ only in dropout, a training setting).
    /// </summary>
    static IRecurrentNetwork[] WarmMembers(IRecurrentNetwork parent, RecurrentConfig config, int members)
    {
        var shape = parent.Config with { HiddenSize = config.HiddenSize * members, Dropout = config.Dropout };
        if (shape != (config with { HiddenSize = config.HiddenSize * members }))
            throw new ArgumentException($"The initial network ({parent.Config}) does not have this run's shape ({config} x {members} members).",
                nameof(TrainingOptions.InitialWeights));
        var result = new IRecurrentNetwork[members];
        var split = Ensemble.Split(parent, members);
        for (int m = 0; m < members; m++)
        {
            result[m] = config.CreateEmpty();
            split[m].Parameters.CopyTo(result[m].Parameters, 0);
            result[m].ParametersChanged();
        }
        return result;
    }

    /// <summary>Network steps (windows × window length) one member trains on per epoch at most.</summary>
    public const int StepBudget = 65536;

    /// <summary>
    /// Network steps (windows × window length) one scoring pass reads per member at most: early stopping's every epoch, and the
    /// mixing weights', calibration's and backtest's single pass over the training or validation windows. On a long series
    /// with a long window (a year of hours, a week of half-hours) scoring all of them cost several times an epoch's training,
    /// so beyond this they are thinned to evenly spaced ones (the same every epoch).
    /// </summary>
    public const int ValidationStepBudget = 4 * StepBudget;

    /// <summary>
    /// Network steps (trained and scored) one member reads over a whole fit at most: on a long series with a long window
    /// every epoch costs <see cref="StepBudget"/> trained steps and up to <see cref="ValidationStepBudget"/> scored ones, and
    /// early stopping alone let a year of hours run 54 epochs and replay 44 (109 s of its 135 on the machine of 2026-12-01). The epochs are capped so
    /// that the fit stays within it; a short series' epochs are far cheaper, so only long windows reach it.
    /// </summary>
    public const long FitStepBudget = 1L << 22;

    /// <summary>
    /// The epochs a fit may run: <paramref name="epochs"/>, or fewer when each one (trained windows and scored validation windows, in
    /// network steps of <paramref name="steps"/> each) would take the fit past <see cref="FitStepBudget"/>; at least one.
    /// </summary>
    internal static int AffordableEpochs(int epochs, int trainWindows, int scoredWindows, int steps, int batch)
    {
        long t = Math.Max(1, steps);
        long trained = Math.Min(trainWindows, Math.Max(batch, StepBudget / t)) * t;
        long perEpoch = trained + scoredWindows * t;
        return (int)Math.Clamp(FitStepBudget / Math.Max(1, perEpoch), 1, Math.Max(1, epochs));
    }

    /// <summary>The windows a scoring pass reads for sequences of <paramref name="steps"/> steps: within <see cref="ValidationStepBudget"/>.</summary>
    internal static IReadOnlyList<WindowRef> ScoredWindows(IReadOnlyList<WindowRef> windows, int steps) => EvenlySpaced(windows, ScoredCount(steps));

    /// <summary>How many sequences of <paramref name="steps"/> steps a scoring pass reads at most (at least one).</summary>
    internal static int ScoredCount(int steps) => Math.Max(1, ValidationStepBudget / Math.Max(1, steps));

    /// <summary>At most <paramref name="most"/> of <paramref name="windows"/>, evenly spaced over them (all of them, the same list, when they are fewer).</summary>
    internal static IReadOnlyList<WindowRef> EvenlySpaced(IReadOnlyList<WindowRef> windows, long most)
    {
        if (windows.Count <= most) return windows;
        int count = (int)Math.Max(1, most);
        var picked = new WindowRef[count];
        for (int i = 0; i < count; i++) picked[i] = windows[(int)((long)i * windows.Count / count)];
        return picked;
    }

    /// <summary>Member 0 trains from the request's seed; the others from seeds derived from it.</summary>
    public static ulong MemberSeed(ulong seed, int member) => member == 0 ? seed : seed + (ulong)member * 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// Trains with early stopping on the validation windows (thinned beyond <see cref="ValidationStepBudget"/>; on the training
    /// loss when there are none), keeping the best epoch, for at most the epochs <see cref="FitStepBudget"/> affords.
    /// </summary>
    public FitSummary Fit(int epochs, int patience, Action<EpochProgress>? progress, CancellationToken ct)
    {
        var best = Members.Select(n => (float[])n.Parameters.Clone()).ToArray();
        var trainLosses = new List<double>(); var validationLosses = new List<double>(); var rates = new List<float>();
        double bestScore = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, sincePlateau = 0, plateauPatience = Math.Max(2, patience / 3);
        float lr = _options.LearningRate;
        var validation = ScoredWindows(_data.Validation, _data.Layout.Steps);
        epochs = AffordableEpochs(epochs, _data.Train.Count, validation.Count, _data.Layout.Steps, _batches[0].Capacity);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            rates.Add(lr);
            double trainLoss = Epoch(lr, ct);
            double validationLoss = validation.Count > 0 ? Evaluate(validation) : double.NaN;
            trainLosses.Add(trainLoss);
            validationLosses.Add(validationLoss);
            double score = double.IsNaN(validationLoss) ? trainLoss : validationLoss;
            // An infinite loss in the first epoch is not a step too long: some target is already beyond 32-bit floats in the
            // window's units, a value far out of scale with its neighbours (a typo, a wrong unit) rather than the learning rate.
            if (!double.IsFinite(score))
                throw new InvalidOperationException(epoch == 1 && double.IsPositiveInfinity(score)
                    ? "Training diverged at epoch 1 (loss Infinity): a value far out of scale with its neighbours (a misplaced digit or unit?) overflows 32-bit floats; check the series."
                    : $"Training diverged at epoch {epoch} (loss {score}); lower the learning rate.");
            if (double.IsPositiveInfinity(bestScore) || score < bestScore - 1e-7 * Math.Abs(bestScore))
            {
                bestScore = score; bestEpoch = epoch; sinceBest = 0; sincePlateau = 0;
                for (int m = 0; m < Members.Length; m++) Members[m].Parameters.CopyTo(best[m], 0);
            }
            else
            {
                sinceBest++;
                if (++sincePlateau >= plateauPatience)
                {
                    lr = Math.Max(lr * 0.5f, _options.LearningRate * 1e-3f);
                    sincePlateau = 0;
                }
            }
            progress?.Invoke(new EpochProgress(epoch, epochs, trainLoss, validationLoss));
            if (sinceBest >= patience) break;
        }
        for (int m = 0; m < Members.Length; m++)
        {
            best[m].CopyTo(Members[m].Parameters, 0);
            Members[m].ParametersChanged();
        }
        // The kept epoch is scored on every validation window once, so what a search compares does not depend on how far
        // each candidate's window length thinned the per-epoch scoring.
        double kept = bestEpoch == 0 || _data.Validation.Count == 0 ? double.NaN
            : validation.Count < _data.Validation.Count ? Evaluate(_data.Validation) : validationLosses[bestEpoch - 1];
        return new FitSummary(trainLosses, validationLosses, rates, bestEpoch, kept);
    }

    /// <summary>Trains one epoch per learning rate given (no validation): the refit on all the data.</summary>
    public void Replay(IReadOnlyList<float> learningRates, CancellationToken ct)
    {
        foreach (var lr in learningRates)
        {
            ct.ThrowIfCancellationRequested();
            Epoch(lr, ct);
        }
    }

    double Epoch(float lr, CancellationToken ct)
    {
        int t = _data.Layout.Steps, row = _data.Layout.RowLength, o = Members[0].Config.OutputSize;
        double total = 0;
        for (int m = 0; m < Members.Length; m++)
        {
            var net = Members[m]; var ws = _workspaces[m]; var batch = _batches[m]; var order = _orders[m]; var optimizer = _optimizers[m];
            optimizer.LearningRate = lr;
            _rngs[m].Shuffle(order);
            double lossSum = 0;
            int batches = 0;
            // A long series trains on a fresh random subset of its windows each epoch, so an epoch costs at most
            // StepBudget network steps however long the series and the window are.
            int used = Math.Min(order.Length, Math.Max(batch.Capacity, StepBudget / Math.Max(1, t)));
            for (int start = 0; start < used; start += batch.Capacity)
            {
                int nb = Math.Min(batch.Capacity, used - start);
                batch.Fill(_data, _data.Train, order.AsSpan(start, nb));
                ws.Forward(batch.X.AsSpan(0, nb * row), nb, t, true, _seeds[m] + ++_step);
                lossSum += batch.Loss(ws.Output, _quantiles, nb, computeGradient: true);
                ws.Backward(batch.OutputGradient.AsSpan(0, nb * o));
                GradientClipping.ClipByGlobalNorm(net.Gradients, _options.ClipNorm);
                optimizer.Step(net.Parameters, net.Gradients);
                net.ParametersChanged();
                batches++;
                if ((batches & 7) == 0) ct.ThrowIfCancellationRequested();
            }
            total += lossSum / Math.Max(1, batches);
        }
        return total / Members.Length;
    }

    /// <summary>Loss of the members' averaged forecast over <paramref name="windows"/>.</summary>
    double Evaluate(IReadOnlyList<WindowRef> windows)
    {
        var batch = _batches[0];
        int t = _data.Layout.Steps, row = _data.Layout.RowLength, o = Members[0].Config.OutputSize;
        var average = new float[batch.Capacity * o];
        var indices = new int[batch.Capacity];
        double sum = 0, meanSum = 0;
        int count = 0;
        float inv = 1f / Members.Length;
        for (int start = 0; start < windows.Count; start += batch.Capacity)
        {
            int nb = Math.Min(batch.Capacity, windows.Count - start);
            for (int i = 0; i < nb; i++) indices[i] = start + i;
            batch.Fill(_data, windows, indices.AsSpan(0, nb));
            Array.Clear(average);
            for (int m = 0; m < Members.Length; m++)
            {
                _workspaces[m].Infer(batch.X.AsSpan(0, nb * row), nb, t);
                var output = _workspaces[m].Output;
                for (int i = 0; i < nb * o; i++) average[i] += output[i];
            }
            for (int i = 0; i < nb * o; i++) average[i] *= inv;
            sum += batch.Loss(average.AsSpan(0, nb * o), _quantiles, nb, computeGradient: false) * nb;
            meanSum += batch.LastMeanLoss * nb;
            count += nb;
        }
        LastMeanLoss = meanSum / Math.Max(1, count);
        return sum / Math.Max(1, count);
    }

    public double LastMeanLoss { get; private set; }
}

using System.Collections.Concurrent;

using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

/// <summary>
/// A trained forecaster: the network (an ensemble merged into one network) plus how windows are built and scaled,
/// an optional linear autoregressive highway added to every head, and optional conformal offsets of the quantiles.
/// The head predicts, for the next <see cref="Horizon"/> steps, the mean and then each quantile level: layout
/// [1 + Q, Horizon] per series, in encoded units (relative to the window's level, divided by the series' scale).
/// Thread-safe for concurrent <see cref="Forecast"/> calls (each call rents its own workspace).
/// </summary>
public sealed partial class ForecastModel : IServedModel
{
    readonly float[] _quantiles;
    readonly string[] _covariates;
    readonly float[]? _calibration;
    readonly float[]? _highwayMatrix, _highwayBias;
    readonly ConcurrentBag<IRecurrentWorkspace[]> _workspaces = new();
    /// <summary>Rows the network runs at once; callers that batch their own work (the backtest) use the same size.</summary>
    internal const int PredictChunk = 256;

    public ForecastModel(IRecurrentNetwork network, int inputWindow, int horizon, float[] quantiles, ScalingMode scaling)
        : this(network, inputWindow, horizon, quantiles, scaling, highway: null)
    {
    }

    /// <param name="highway">Linear AR component added to every head (null: the network alone).</param>
    /// <param name="calibration">Offsets [Q, Horizon] in encoded units added to each quantile head (null: none).</param>
    /// <param name="seasonLength">Season length the model was built for (informational; 0 = unknown).</param>
    /// <param name="ensembleSize">Networks merged into <paramref name="network"/> (informational).</param>
    /// <param name="strategy">Direct: the head holds all <paramref name="horizon"/> steps. Recursive: the head holds one step
    /// ([1 + Q] outputs), fed back <paramref name="horizon"/> times; quantiles are then the mean path plus the calibration
    /// offsets (without calibration, the one-step spread widened by the square root of the step).</param>
    /// <param name="covariates">Names of the covariates the network reads after the target, in input order (none by default).</param>
    /// <param name="futureCovariates">Those of <paramref name="covariates"/> known over the horizon (direct strategy only).</param>
    /// <param name="transform">Scale the network, highway and statistics work on; forecasts are mapped back.</param>
    /// <param name="statistics">Classical forecasters mixed with the network's mean; with them, <paramref name="calibration"/> holds the
    /// offsets of the mixed forecast's quantiles instead of the heads' (null: the network alone).</param>
    /// <param name="nonNegative">Clamps forecasts and quantiles at zero (a series that never went negative).</param>
    /// <param name="correctionScale">Factor on the network's output (1: as trained; 0: silenced, the shrinkage of short series).</param>
    /// <param name="correctsStatistics">The network's output is a correction added to the mean of the classical members (as the
    /// highway's forecast is added), rather than a forecast of its own.</param>
    public ForecastModel(IRecurrentNetwork network, int inputWindow, int horizon, float[] quantiles, ScalingMode scaling,
        LinearHighway? highway, float[]? calibration = null, int seasonLength = 0, int ensembleSize = 1, ForecastStrategy strategy = ForecastStrategy.Direct,
        IReadOnlyList<string>? covariates = null, IReadOnlyCollection<string>? futureCovariates = null,
        SeriesTransform transform = SeriesTransform.None, StatisticalEnsemble? statistics = null, bool nonNegative = false, bool correctsStatistics = false,
        float correctionScale = 1f)
    {
        if (!(correctionScale >= 0 && correctionScale <= 1)) throw new ArgumentOutOfRangeException(nameof(correctionScale), correctionScale, "The correction scale is in [0, 1].");
        if (correctsStatistics && statistics is null) throw new ArgumentException("A network that corrects the statistics needs them.", nameof(correctsStatistics));
        if (statistics is not null && statistics.Weights.Count != StatisticalEnsemble.MemberCount + (correctsStatistics && highway is not null ? 2 : 1))
            throw new ArgumentException("The statistics' weights include the highway exactly when it is a member.", nameof(statistics));
        if (!Enum.IsDefined(transform)) throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform.");
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ensembleSize, 1);
        // Members are merged block-diagonally, so their count divides the hidden size (an edited export could say otherwise).
        if (network.Config.HiddenSize % ensembleSize != 0)
            throw new ArgumentException($"ensemble {ensembleSize} does not divide the network's hidden size {network.Config.HiddenSize} (members are merged block-diagonally).", nameof(ensembleSize));
        ArgumentOutOfRangeException.ThrowIfNegative(seasonLength);
        if (!Enum.IsDefined(strategy)) throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown strategy.");
        _covariates = covariates?.ToArray() ?? [];
        if (_covariates.Any(string.IsNullOrEmpty) || _covariates.Distinct(StringComparer.Ordinal).Count() != _covariates.Length)
            throw new ArgumentException("Covariate names must be non-empty and distinct.", nameof(covariates));
        var future = futureCovariates ?? [];
        foreach (var name in future)
            if (!_covariates.Contains(name, StringComparer.Ordinal)) throw new ArgumentException($"Future covariate '{name}' is not one of the covariates.", nameof(futureCovariates));
        if (_covariates.Length > 0 && strategy == ForecastStrategy.Recursive)
            throw new ArgumentException("Covariates need the direct strategy.", nameof(covariates));
        Layout = new InputLayout(inputWindow, horizon, _covariates.Select(c => future.Contains(c, StringComparer.Ordinal)).ToArray());
        if (network.Config.InputSize != Layout.Features)
            throw new ArgumentException(_covariates.Length == 0 ? "Forecast networks without covariates take one input feature."
                : $"With {_covariates.Length} covariates{(Layout.HasFuture ? " (some known in advance)" : "")} the network takes {Layout.Features} input features, not {network.Config.InputSize}.", nameof(network));
        if (statistics?.CovariateEffect is { } effect
            && (!effect.Future.SequenceEqual(Layout.Future) || effect.Horizon != horizon || effect.Lags >= inputWindow || effect.Season > inputWindow))
            throw new ArgumentException($"The statistics' covariate effect reads {effect.Covariates} covariates over {effect.Horizon} steps, {effect.Lags} lags and a season of {effect.Season}; this model has " +
                $"{_covariates.Length} ({Layout.Future.Count(f => f)} known in advance), horizon {horizon} and window {inputWindow}.", nameof(statistics));
        if (statistics?.CovariateLevels is { } levels
            && (levels.Coefficients.Count != _covariates.Length || levels.Coefficients.Where((b, j) => b != 0 && !Layout.Future[j]).Any()))
            throw new ArgumentException($"The statistics' covariate levels read {levels.Coefficients.Count} covariates; this model has {_covariates.Length}, " +
                "and the levels read only those known in advance.", nameof(statistics));
        int headSteps = strategy == ForecastStrategy.Recursive ? 1 : horizon;
        if (network.Config.OutputSize != headSteps * (1 + quantiles.Length))
            throw new ArgumentException(strategy == ForecastStrategy.Recursive
                ? $"A recursive model's head must have 1 + Q = {1 + quantiles.Length} outputs, not {network.Config.OutputSize}."
                : $"Head must have Horizon x (1 + Q) = {horizon * (1 + quantiles.Length)} outputs, not {network.Config.OutputSize}.", nameof(network));
        foreach (var q in quantiles)
            if (!(q > 0f && q < 1f)) throw new ArgumentOutOfRangeException(nameof(quantiles), q, "Quantile levels must be in (0, 1).");
        if (!quantiles.SequenceEqual(quantiles.Order()) || quantiles.Distinct().Count() != quantiles.Length)
            throw new ArgumentException("Quantile levels must be distinct and increasing.", nameof(quantiles));
        if (calibration is not null)
        {
            if (calibration.Length != quantiles.Length * horizon)
                throw new ArgumentException($"Calibration must hold Q x Horizon = {quantiles.Length * horizon} offsets.", nameof(calibration));
            if (!calibration.All(float.IsFinite)) throw new ArgumentException("Calibration offsets must be finite.", nameof(calibration));
        }
        if (highway is not null)
        {
            if (highway.MaxOrder > inputWindow)
                throw new ArgumentException($"The highway reads {highway.MaxOrder} values, more than the input window ({inputWindow}).", nameof(highway));
            if (!highway.IsMap && highway.Relative != (scaling == ScalingMode.WindowLevel))
                throw new ArgumentException("A relative (differenced) highway goes with window-level scaling, an absolute one with series scaling.", nameof(highway));
            (_highwayMatrix, _highwayBias) = highway.Compose(inputWindow, headSteps);
        }
        Strategy = strategy;
        HeadSteps = headSteps;
        Network = network;
        InputWindow = inputWindow;
        Horizon = horizon;
        _quantiles = quantiles.ToArray();
        Scaling = scaling;
        Highway = highway;
        _calibration = calibration?.ToArray();
        SeasonLength = seasonLength;
        EnsembleSize = ensembleSize;
        Transform = transform;
        Statistics = statistics;
        NonNegative = nonNegative;
        CorrectsStatistics = correctsStatistics;
        CorrectionScale = correctionScale;
    }

    /// <summary>The network (an LSTM or a GRU, <see cref="RecurrentConfig.Cell"/>); for an ensemble, the members merged block-diagonally (its output is their average).</summary>
    public IRecurrentNetwork Network { get; }
    /// <summary>History length the model reads (the network's sequence length).</summary>
    public int InputWindow { get; }

    /// <summary>
    /// The fewest values a history needs: the input window, or two periods where theta alone forecasts with a season (its
    /// seasonal index needs two). A two-year version's forecast of a shorter history had been a trend run on from the last
    /// December, eight times a seasonal naive forecast's error (a QA pass).
    /// </summary>
    public int MinimumHistory => Statistics is { Theta.Season: > 1 and var m } statistics && statistics.Weights[StatisticalEnsemble.ThetaWeight] >= 0.999f
        ? Math.Max(InputWindow, 2 * m) : InputWindow;

    /// <summary>Why <see cref="MinimumHistory"/> exceeds the input window, to follow "this model" in a message.</summary>
    public string SeasonalMinimumReason =>
        $"repeats a season of {Statistics?.Theta.Season} with the theta method alone, whose seasonal index needs two periods ({MinimumHistory} values)";
    public int Horizon { get; }
    /// <summary>Quantile levels in increasing order (may be empty).</summary>
    public IReadOnlyList<float> Quantiles => _quantiles;
    public ScalingMode Scaling { get; }
    /// <summary>The linear autoregressive component, or null.</summary>
    public LinearHighway? Highway { get; }
    /// <summary>Conformal offsets [Q, Horizon] in encoded units, or null.</summary>
    public IReadOnlyList<float>? Calibration => _calibration;
    /// <summary>Season length detected or given at training (0 when unknown, 1 when none).</summary>
    public int SeasonLength { get; }
    /// <summary>Networks averaged in <see cref="Network"/>.</summary>
    public int EnsembleSize { get; }
    public ForecastStrategy Strategy { get; }
    /// <summary>Steps the head predicts at once: <see cref="Horizon"/> (direct) or 1 (recursive).</summary>
    public int HeadSteps { get; }
    /// <summary>Covariate names in the order the network reads them (empty without covariates).</summary>
    public IReadOnlyList<string> Covariates => _covariates;
    /// <summary>The covariates whose values over the horizon a forecast must supply.</summary>
    public IReadOnlyList<string> FutureCovariates => _covariates.Where((_, k) => Layout.Future[k]).ToArray();
    internal InputLayout Layout { get; }
    /// <summary>The scale the model works on (log for positive series whose season or growth is multiplicative).</summary>
    public SeriesTransform Transform { get; }
    /// <summary>The classical forecasters mixed with the network, or null.</summary>
    public StatisticalEnsemble? Statistics { get; }
    /// <summary>Whether the network corrects the classical members' mean (its member forecast is their mean plus its output).</summary>
    public bool CorrectsStatistics { get; }
    /// <summary>
    /// With <see cref="CorrectsStatistics"/> the highway is not added to the network's output but mixed as a member of its
    /// own (the fifth weight), and counts in the mean the network corrects.
    /// </summary>
    public bool HighwayIsMember => CorrectsStatistics && Highway is not null;
    /// <summary>
    /// Factor applied to the network's output: 1 as trained, 0 when the trainer judged the series too short for the network's
    /// correction to be trusted (the weights are kept, so the network can still be inspected and exported).
    /// </summary>
    public float CorrectionScale { get; }
    /// <summary>
    /// Whether forecasts and quantiles are clamped at zero: of every history when <see cref="NonNegativeDeclared"/>, else of
    /// one whose window holds no negative value (one that does is outside what the model was trained on, and zeros would hide it).
    /// </summary>
    public bool NonNegative { get; }
    /// <summary>Whether the clamp was asked for (a training request's <c>nonNegative: true</c>) rather than chosen from the data.</summary>
    public bool NonNegativeDeclared { get; private init; }
    /// <summary>
    /// The value forecasts and quantiles are clamped at from above (a training request's <c>upperBound</c>: a percentage, a
    /// share, a capacity), for every history; null: none. Nothing in the data can say a series is bounded, so it is only asked for.
    /// </summary>
    public float? UpperBound { get; private init; }
    /// <summary>
    /// For a model of several series, per training series id, the factor each quantile level's calibration offset is scaled
    /// by when a forecast names that id (<see cref="ForecastInput.Id"/>), then the exponent by which it grows with the step:
    /// how far that series' own residuals reached against the offsets pooled over every series
    /// (<see cref="Training.SeriesIntervalScales"/>). Null, or an id not in it: the pooled offsets as they are.
    /// </summary>
    public IReadOnlyDictionary<string, float[]>? SeriesIntervalScales { get; private init; }
    /// <summary>
    /// For a model of several series, per training series id, the mix's own weights (the network first, as
    /// <see cref="StatisticalEnsemble.Weights"/>) a forecast naming that id mixes with: that series' own errors, moved toward
    /// the pooled weights (<see cref="Training.MixWeights.PerSeries"/>). Null, or an id not in it: the pooled weights.
    /// </summary>
    public IReadOnlyDictionary<string, float[]>? SeriesMixWeights { get; private init; }
    /// <summary>The regression on the known covariates' levels: the rest of the model reads the series less it, a forecast puts it back (adds or multiplies; null: none).</summary>
    public CovariateLevels? CovariateLevels => Statistics?.CovariateLevels;

    /// <summary>
    /// Whether the model takes the logarithm of what it is given, so a value must be positive: the log scale without covariate
    /// levels, or with multiplicative ones (the series less their effect is positive exactly where the series is).
    /// </summary>
    public bool LogOfGiven => Transform == SeriesTransform.Log && CovariateLevels is not { Multiplicative: false };

    /// <summary>
    /// Writes window <c>[end - InputWindow, end)</c> of a gap-filled history, scaled, into <paramref name="x"/>;
    /// returns the level and scale that map network outputs back to the series.
    /// </summary>
    internal static (float Level, float Scale) EncodeWindow(ReadOnlySpan<float> filled, int end, int window, ScalingMode mode, (float Center, float Scale) stats, Span<float> x)
    {
        float level = mode == ScalingMode.WindowLevel ? filled[end - 1] : stats.Center;
        float inv = 1f / stats.Scale;
        var src = filled.Slice(end - window, window);
        for (int t = 0; t < window; t++) x[t] = (src[t] - level) * inv;
        return (level, stats.Scale);
    }

    /// <summary>
    /// Forecasts every history in one batch. Each history holds at least <see cref="InputWindow"/> values
    /// (NaN marks a missing value and is interpolated; at least half the window must be observed);
    /// <paramref name="horizon"/> is 1..<see cref="Horizon"/> (default: <see cref="Horizon"/>).
    /// Throws <see cref="ArgumentException"/> naming the bad history.
    /// </summary>
    public IReadOnlyList<SeriesForecast> Forecast(IReadOnlyList<float[]> histories, int? horizon = null)
    {
        ArgumentNullException.ThrowIfNull(histories);
        if (_covariates.Length > 0) throw new ArgumentException($"This model reads covariates ({string.Join(", ", _covariates)}): forecast with ForecastInput.", nameof(histories));
        return Forecast(histories.Select(h => new ForecastInput(h)).ToList(), horizon);
    }

    /// <summary>
    /// Forecasts every input in one batch: as <see cref="Forecast(IReadOnlyList{float[]}, int?)"/>, plus each covariate's
    /// history (as long as the history; NaN = missing) and, for <see cref="FutureCovariates"/>, at least as many future values
    /// as the steps asked for. Throws <see cref="ArgumentException"/> naming the bad input.
    /// </summary>
    /// <param name="cancellationToken">Checked per input (a request the client abandoned stops its work); the arithmetic does not depend on it.</param>
    public IReadOnlyList<SeriesForecast> Forecast(IReadOnlyList<ForecastInput> inputs, int? horizon = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int steps = horizon ?? Horizon, b = inputs.Count;
        if (steps < 1 || steps > Horizon) throw new ArgumentOutOfRangeException(nameof(horizon), steps, $"Horizon must be in 1..{Horizon} for this model.");
        if (b == 0) return [];
        var prepared = new Prepared[b];
        if (b >= ParallelInputs && Environment.ProcessorCount > 1) PrepareInParallel(inputs, steps, prepared, cancellationToken);
        else
            for (int i = 0; i < b; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                prepared[i] = PrepareInput(inputs[i], i, steps);
            }
        cancellationToken.ThrowIfCancellationRequested();
        return ForecastPrepared(prepared, steps, cancellationToken);
    }

    /// <summary>
    /// Inputs from which a batch prepares them on every core: reading each history through the classical members' filters is
    /// the largest part of forecasting a large batch (a fifth of a 10,000-series request's CPU), and the inputs are
    /// independent (the same bits either way). The backtest's batches of origins take this path too.
    /// </summary>
    internal const int ParallelInputs = 256;

    /// <summary>
    /// <see cref="PrepareInput"/> for every input, in chunks on every core. The error reported is the one of the lowest
    /// input that has one, as the sequential loop reports (each chunk stops at its first).
    /// </summary>
    void PrepareInParallel(IReadOnlyList<ForecastInput> inputs, int steps, Prepared[] prepared, CancellationToken cancellationToken)
    {
        int b = inputs.Count, chunks = 4 * Environment.ProcessorCount, size = (b + chunks - 1) / chunks;
        ArgumentException? first = null;
        int firstIndex = int.MaxValue;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, chunks, options, chunk =>
        {
            for (int i = chunk * size, end = Math.Min(b, i + size); i < end; i++)
            {
                if (cancellationToken.IsCancellationRequested) return; // Parallel.For then throws OperationCanceledException
                try
                {
                    prepared[i] = PrepareInput(inputs[i], i, steps);
                }
                catch (ArgumentException e)
                {
                    lock (gate) if (i < firstIndex) (first, firstIndex) = (e, i);
                    return;
                }
            }
        });
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }

    /// <summary>Checks input <paramref name="i"/> (an <see cref="ArgumentException"/> naming it) and reads it into its state.</summary>
    Prepared PrepareInput(ForecastInput? input, int i, int steps)
    {
        int w = InputWindow, c = _covariates.Length;
        input = input ?? throw new ArgumentException($"History {i} is null.", $"series[{i}]");
        var h = input.History ?? throw new ArgumentException($"History {i} is null.", $"series[{i}]");
        if (h.Length < w) throw new ArgumentException($"History {i} has {h.Length} values; this model needs at least {w}.", $"series[{i}]");
        // No logarithm for zero or less: a floored value would be read as a collapse of several orders of magnitude.
        bool log = LogOfGiven;
        foreach (var v in h)
        {
            if (float.IsInfinity(v)) throw new ArgumentException($"History {i} holds an infinite value.", $"series[{i}]");
            if (log && v <= 0) throw new ArgumentException($"History {i} holds {v}: this model works on the log scale, so its values must be positive (NaN for a missing one).", $"series[{i}]");
        }
        int observed = ObservedLength(h);
        if (TrailingGapProblem(h, h.Length - observed, observed > 0) is { } gapProblem) throw new ArgumentException($"History {i}: {gapProblem}", $"series[{i}]");
        var pasts = new float[c][];
        for (int k = 0; k < c; k++)
        {
            string name = _covariates[k];
            if (input.Covariates is null || !input.Covariates.TryGetValue(name, out var past) || past is null)
                throw new ArgumentException($"Input {i} lacks covariate '{name}'.", $"series[{i}].covariates.{name}");
            if (past.Length != h.Length) throw new ArgumentException($"Covariate '{name}' of input {i} has {past.Length} values; the history has {h.Length}.", $"series[{i}].covariates.{name}");
            foreach (var v in past) if (float.IsInfinity(v)) throw new ArgumentException($"Covariate '{name}' of input {i} holds an infinite value.", $"series[{i}].covariates.{name}");
            pasts[k] = past;
        }
        if (CovariateLevels is { } levels)
        {
            // Checked again as the rest of the model reads it (and as a stream of the same values would refuse it).
            var adjusted = levels.Adjust(h, pasts);
            if (AdjustedProblem(h, adjusted, pasts) is var (field, problem)) throw new ArgumentException($"History {i}: {problem}", $"series[{i}].{field}");
            h = adjusted;
            observed = ObservedLength(h);
            if (TrailingGapProblem(h, h.Length - observed, observed > 0) is { } adjustedProblem)
                throw new ArgumentException($"History {i}: {adjustedProblem}{MissingCovariatesNote}", $"series[{i}]");
        }
        // The history's state, as a stream holds it after the same values (the transform's floor is the whole history's).
        var state = Build(SeriesTransforms.Forward(Transform, h), pasts, input.Id);
        return OfSeries(Prepare(state, input.FutureCovariates, steps, $"series[{i}]"), input.Id);
    }

    /// <summary>
    /// Maps raw head outputs [B, 1 + Q, Horizon] back to series scale; quantiles are sorted per step so they never cross, and
    /// the outermost ones (a level below 0.5, one above) hold the mean between them.
    /// </summary>
    /// <param name="shifts">Per row, the covariate levels' effect at each step, added (or, multiplicative, its exponential multiplied; null: nothing).</param>
    /// <param name="clampAtZero">Per row, whether its values are clamped at zero.</param>
    internal IReadOnlyList<SeriesForecast> Decode(ReadOnlySpan<float> output, ReadOnlySpan<(float Level, float Scale)> scaling, int steps,
        IReadOnlyList<float[]?>? shifts, IReadOnlyList<bool> clampAtZero)
    {
        int q = _quantiles.Length, s = Horizon, o = (1 + q) * s;
        var result = new SeriesForecast[scaling.Length];
        Span<float> column = stackalloc float[Math.Max(q, 1)];
        for (int i = 0; i < scaling.Length; i++)
        {
            var (level, scale) = scaling[i];
            var row = output.Slice(i * o, o);
            var shift = shifts?[i];
            bool clamp = clampAtZero[i];
            var mean = new float[steps];
            for (int t = 0; t < steps; t++) mean[t] = Output(level + scale * row[t], shift is null ? 0 : shift[t], clamp);
            var bands = new float[q][];
            for (int k = 0; k < q; k++) bands[k] = new float[steps];
            for (int t = 0; t < steps; t++)
            {
                for (int k = 0; k < q; k++) column[k] = Output(level + scale * row[(1 + k) * s + t], shift is null ? 0 : shift[t], clamp);
                column[..q].Sort();
                HoldMean(column[..q], mean[t]);
                for (int k = 0; k < q; k++) bands[k][t] = column[k];
            }
            var dict = new Dictionary<float, float[]>(q);
            for (int k = 0; k < q; k++) dict[_quantiles[k]] = bands[k];
            result[i] = new SeriesForecast(mean, dict, clamp);
        }
        return result;
    }

    /// <summary>
    /// Widens the outermost quantiles (sorted) to the mean where it lies beyond them. The offsets are the residuals'
    /// quantiles, so where the mix was biased on every training window (a flat stretch after a step, which a drift reads
    /// as a trend) they all had one sign and a 0.9 quantile came out below the mean it should bound: an interval the point
    /// forecast lies outside is no interval for it.
    /// </summary>
    void HoldMean(Span<float> sorted, float mean)
    {
        int q = sorted.Length;
        if (q == 0 || !float.IsFinite(mean)) return;
        if (_quantiles[0] < 0.5f && sorted[0] > mean) sorted[0] = mean;
        if (_quantiles[q - 1] > 0.5f && sorted[q - 1] < mean) sorted[q - 1] = mean;
    }

    /// <summary>
    /// A value of the model's scale mapped back to the series' (with <paramref name="shift"/>, the covariate levels' effect
    /// at that step, put back, clamped at zero where <paramref name="clampAtZero"/>, and at <see cref="UpperBound"/>). Only finite values
    /// are clamped: an overflow to -Infinity stays non-finite, so a caller's finite check still sees it.
    /// </summary>
    internal float Output(float value, float shift, bool clampAtZero)
    {
        // Put back after the transform's inverse, which saturates at float's range: an effect that takes a forecast past it
        // (a covariate of 1e6 for a 0/1 flag) overflows, and the caller's finite check names the covariate. Added inside the
        // exponential, it had been capped at 3.4e38 and answered as a forecast (a QA pass).
        float v = CovariateLevels is { } levels ? levels.Put(SeriesTransforms.Inverse(Transform, value), shift) : SeriesTransforms.Inverse(Transform, value) + shift;
        if (!float.IsFinite(v)) return v;
        if (clampAtZero && v < 0) v = 0;
        return UpperBound is { } bound && v > bound ? bound : v;
    }
}

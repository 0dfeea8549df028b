using LstmService.Kernels;

namespace LstmService.Forecasting;

/// <summary>
/// Trains a <see cref="ForecastModel"/> on one or many series (a global model). The default recipe:
/// <list type="number">
/// <item>gap filling for inputs, masked losses for missing targets, a time split into training and validation parts; origins
/// whose input window is mostly missing (which <see cref="ForecastModel.Forecast(IReadOnlyList{ForecastInput}, int?)"/> refuses)
/// are left out of training, validation, calibration and the backtest alike;</item>
/// <item>season detection and, when the window is left to the trainer, AR orders of 0.5 to 3 seasons fitted in closed form
/// (the linear highway) with the three that validate best averaged; the input window is the longest of them;</item>
/// <item>an ensemble of small LSTMs (different seeds, trained in lockstep) learning what the highway misses: Adam with gradient
/// clipping, learning-rate halving on plateau, early stopping on the ensemble's validation loss keeping the best epoch;</item>
/// <item>calibration of the quantile heads on the residuals of the model that held the validation part out (see
/// <see cref="Conformal"/>) and a rolling-origin backtest of the validation part by that model;</item>
/// <item>a refit on all the data (highway refitted, networks retrained from the same seeds for the best epoch count).</item>
/// </list>
/// Deterministic: the same series, options and seed give bit-identical weights and forecasts.
/// </summary>
public static class ForecastTrainer
{
    /// <summary>
    /// Trains on <paramref name="series"/> (NaN = missing) with <paramref name="options"/>; reports every epoch to
    /// <paramref name="progress"/>; throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="ArgumentException"/> naming the bad option or series (the checks of <see cref="Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/>).
    /// </summary>
    public static TrainingResult Train(IReadOnlyList<float[]> series, TrainingOptions options, Action<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return Train(series.Select(v => new TrainingSeries(v)).ToList(), options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on series that may carry covariates (named arrays as long as their values, the same names in every series);
    /// <see cref="TrainingOptions.FutureCovariates"/> names those known in advance. Otherwise as the overload above.
    /// </summary>
    public static TrainingResult Train(IReadOnlyList<TrainingSeries> series, TrainingOptions options, Action<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Validate(series, options);
        var set = SeriesSet.Prepare(series, options);
        if (options.Search) return HyperparameterSearch.Run(set, options, progress, cancellationToken);
        return TrainPrepared(set, options, progress, cancellationToken);
    }

    internal static TrainingResult TrainPrepared(SeriesSet set, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var quantiles = options.Quantiles.Order().ToArray();
        int s = options.Horizon;
        var stats = set.Statistics(options.Scaling, validationHeldOut: true);
        int season = options.SeasonLength > 0 ? options.SeasonLength : set.DetectSeason();
        var (window, orders) = ChooseWindow(set, stats, options, season);
        LinearHighway? highway = null;
        if (orders.Length > 0) highway = FitHighway(set, stats, orders, options.Scaling, heldOut: true);

        // A recursive model trains a one-step head; calibration and the backtest still look at the whole horizon.
        var strategy = options.Strategy;
        int steps = strategy == ForecastStrategy.Recursive ? 1 : s;
        var data = WindowedData.Build(set, stats, window, steps, options.Scaling, heldOut: true, options.FutureCovariates);
        var evaluation = steps == s ? data : WindowedData.Build(set, stats, window, s, options.Scaling, heldOut: true, options.FutureCovariates);
        var run = new LockstepRun(data, options, quantiles, highway, window, steps);
        var fit = run.Fit(options.Epochs, options.Patience, progress, cancellationToken);

        var validated = new ForecastModel(Ensemble.Merge(run.Members), window, s, quantiles, options.Scaling, highway, null, season, run.Members.Length, strategy,
            set.CovariateNames, options.FutureCovariates);
        float[]? calibration = null;
        if (options.Calibrate && quantiles.Length > 0 && evaluation.Validation.Count > 0)
        {
            calibration = Conformal.Offsets(validated, evaluation, quantiles);
            validated = new ForecastModel(validated.Network, window, s, quantiles, options.Scaling, highway, calibration, season, run.Members.Length, strategy,
                set.CovariateNames, options.FutureCovariates);
        }
        var metrics = Backtest.Run(validated, evaluation, season);

        var final = validated;
        // Refit whenever something was held out (even if a long gap left no validation window to score).
        if (options.Refit && set.HasValidation)
        {
            var allStats = set.Statistics(options.Scaling, validationHeldOut: false);
            var allHighway = orders.Length > 0 ? FitHighway(set, allStats, orders, options.Scaling, heldOut: false) ?? highway : null;
            var allData = WindowedData.Build(set, allStats, window, steps, options.Scaling, heldOut: false, options.FutureCovariates);
            var refit = new LockstepRun(allData, options, quantiles, allHighway, window, steps);
            refit.Replay(fit.LearningRates.Take(fit.BestEpoch).ToArray(), cancellationToken);
            final = new ForecastModel(Ensemble.Merge(refit.Members), window, s, quantiles, options.Scaling, allHighway, calibration, season, refit.Members.Length, strategy,
                set.CovariateNames, options.FutureCovariates);
        }
        return new TrainingResult(final, fit.TrainLosses.Count, fit.BestEpoch, fit.TrainLosses, fit.ValidationLosses, set.MissingValues, metrics);
    }

    /// <summary>
    /// The input window and the highway's AR orders. Candidates are 0.5 to 3 seasons (plain lags 3 to 48 without a season),
    /// capped by the data and by an explicit <see cref="TrainingOptions.InputWindow"/>; each is fitted on the training part
    /// and the three with the lowest validation error of their iterated forecasts are kept. A zero InputWindow then becomes
    /// the longest kept order.
    /// </summary>
    internal static (int Window, int[] Orders) ChooseWindow(SeriesSet set, (float Center, float Scale)[] stats, TrainingOptions options, int season)
    {
        int s = options.Horizon;
        // Every series needs a few training windows: at most half of its training part (less the horizon) as the window.
        int cap = Math.Max(2, set.ValidationStart.Select((v, i) => (v - s) / 2).Min());
        if (options.InputWindow > 0) cap = options.InputWindow;
        cap = Math.Min(cap, 1024);
        var grid = new SortedSet<int>();
        if (season >= 2)
            for (int k = 2; k <= 12; k++) grid.Add((int)Math.Round(season * k / 4.0) + 1);
        else
            foreach (var p in new[] { 3, 5, 8, 12, 16, 24, 32, 48 }) grid.Add(p);
        if (options.InputWindow > 0) grid.Add(options.InputWindow);
        var candidates = grid.Where(p => p >= 2 && p <= cap).ToList();
        if (candidates.Count == 0) candidates.Add(2);
        if (!options.Highway)
        {
            int auto = options.InputWindow > 0 ? options.InputWindow : Math.Min(cap, season >= 2 ? 2 * season + 1 : 24);
            return (Math.Max(2, auto), []);
        }
        bool relative = options.Scaling == ScalingMode.WindowLevel;
        var scored = new List<(int Order, double Error)>();
        foreach (int p in candidates)
        {
            var c = LinearHighway.Fit(set.Parts(stats, heldOut: true), p, relative);
            if (c is null) continue;
            double error = set.HasValidation ? ValidationError(set, stats, new LinearHighway(relative, [c]), p, s, options.Scaling) : 0;
            scored.Add((p, double.IsFinite(error) ? error : double.MaxValue));
        }
        if (scored.Count == 0)
        {
            int fallback = options.InputWindow > 0 ? options.InputWindow : Math.Max(2, Math.Min(cap, 24));
            return (fallback, []);
        }
        int[] orders;
        if (set.HasValidation) orders = scored.OrderBy(e => e.Error).ThenBy(e => e.Order).Take(3).Select(e => e.Order).Order().ToArray();
        else
        {
            // Nothing to validate on: one and two seasons (or the middle of the grid), averaged.
            var preferred = season >= 2 ? new[] { season + 1, 2 * season + 1 } : [8, 16];
            orders = scored.Select(e => e.Order).Where(preferred.Contains).ToArray();
            if (orders.Length == 0) orders = [scored[scored.Count / 2].Order];
        }
        int window = options.InputWindow > 0 ? options.InputWindow : orders.Max();
        return (window, orders);
    }

    /// <summary>Mean squared error (encoded units) of an AR's iterated forecasts over every validation origin.</summary>
    static double ValidationError(SeriesSet set, (float Center, float Scale)[] stats, LinearHighway highway, int order, int s, ScalingMode scaling)
    {
        var (matrix, bias) = highway.Compose(order, s);
        var x = new float[order];
        var y = new float[s];
        double sum = 0;
        long n = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var raw = set.Raw[i]; var filled = set.Filled[i];
            for (int o = Math.Max(order, set.ValidationStart[i]); o + s <= raw.Length; o++)
            {
                if (!set.InputObserved(i, o, order)) continue; // not an origin one could forecast from
                var (level, scale) = ForecastModel.EncodeWindow(filled, o, order, scaling, stats[i], x);
                LinearHighway.Apply(matrix, bias, order, x, y);
                for (int t = 0; t < s; t++)
                {
                    float actual = raw[o + t];
                    if (float.IsNaN(actual)) continue;
                    double e = y[t] - (actual - level) / scale;
                    sum += e * e; n++;
                }
            }
        }
        return n > 0 ? sum / n : double.NaN;
    }

    static LinearHighway? FitHighway(SeriesSet set, (float Center, float Scale)[] stats, int[] orders, ScalingMode scaling, bool heldOut)
    {
        bool relative = scaling == ScalingMode.WindowLevel;
        var parts = set.Parts(stats, heldOut);
        var models = new List<float[]>();
        foreach (int p in orders)
            if (LinearHighway.Fit(parts, p, relative) is { } c) models.Add(c);
        return models.Count > 0 ? new LinearHighway(relative, models) : null;
    }

    /// <summary>
    /// Every up-front check <see cref="Train(IReadOnlyList{TrainingSeries}, TrainingOptions, Action{EpochProgress}?, CancellationToken)"/>
    /// makes (it calls this method): option bounds, series lengths and missing values, covariate alignment, the names in
    /// <see cref="TrainingOptions.FutureCovariates"/> and the strategy's compatibility with covariates. Throws the first problem
    /// <see cref="Check"/> finds, as an <see cref="ArgumentOutOfRangeException"/> (an option out of its bounds) or an
    /// <see cref="ArgumentException"/> whose ParamName is the field's path ("inputWindow", "series[2].values",
    /// "series[0].covariates.temp", "futureCovariates[1]"). Passing does not promise training succeeds (it may still diverge).
    /// </summary>
    public static void Validate(IReadOnlyList<TrainingSeries> series, TrainingOptions options)
    {
        var problems = Check(series, options);
        if (problems.Count > 0) throw problems[0].ToException();
    }

    /// <summary>As <see cref="Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> for series without covariates.</summary>
    public static void Validate(IReadOnlyList<float[]> series, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        Validate(series.Select(v => v is null ? null! : new TrainingSeries(v)).ToList(), options);
    }

    /// <summary>
    /// Every problem <see cref="Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> would report, in order (empty when
    /// training may start), so a caller can name them all at once. Checks that depend on an option (the minimum length on
    /// inputWindow and horizon) are skipped while that option is itself out of bounds.
    /// </summary>
    public static IReadOnlyList<TrainingProblem> Check(IReadOnlyList<TrainingSeries> series, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<TrainingProblem>();
        CheckOptions(options, problems);
        CheckSeries(series, options, problems);
        return problems;
    }

    static void CheckOptions(TrainingOptions o, List<TrainingProblem> problems)
    {
        void Range(bool ok, string name, object value, string rule)
        {
            if (!ok) problems.Add(new TrainingProblem(name, $"{name} must be {rule}; got {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}.", value));
        }
        Range(o.InputWindow is >= 0 and <= 4096, "inputWindow", o.InputWindow, "in 1..4096 (or 0 to choose it from the data)");
        Range(o.Horizon is >= 1 and <= 1000, "horizon", o.Horizon, "in 1..1000");
        Range(o.HiddenSize is >= 1 and <= 2048, "hiddenSize", o.HiddenSize, "in 1..2048");
        Range(o.Layers is >= 1 and <= LstmConfig.MaxLayers, "layers", o.Layers, $"in 1..{LstmConfig.MaxLayers}");
        Range(o.Dropout >= 0 && o.Dropout < 1, "dropout", o.Dropout, "in [0, 1)");
        Range(o.Epochs >= 1, "epochs", o.Epochs, "at least 1");
        Range(o.BatchSize >= 1, "batchSize", o.BatchSize, "at least 1");
        Range(o.LearningRate > 0 && o.LearningRate <= 1, "learningRate", o.LearningRate, "in (0, 1]");
        Range(o.WeightDecay >= 0 && o.WeightDecay < 1, "weightDecay", o.WeightDecay, "in [0, 1)");
        Range(o.ClipNorm > 0, "clipNorm", o.ClipNorm, "positive");
        Range(o.ValidationFraction >= 0 && o.ValidationFraction <= 0.5, "validationFraction", o.ValidationFraction, "in [0, 0.5]");
        Range(o.Patience >= 1, "patience", o.Patience, "at least 1");
        Range(o.SeasonLength is >= 0 and <= 10000, "seasonLength", o.SeasonLength, "in 1..10000 (or 0 to detect it)");
        Range(o.Ensemble is >= 1 and <= 32, "ensemble", o.Ensemble, "in 1..32");
        Range(Enum.IsDefined(o.Strategy), "strategy", o.Strategy, "direct or recursive");
        Range(Enum.IsDefined(o.Scaling), "scaling", o.Scaling, "windowLevel, seriesZScore or seriesRobust");
        if (o.Quantiles is null) problems.Add(new TrainingProblem("quantiles", "quantiles is required (empty for a point forecast only)."));
        else
            for (int k = 0; k < o.Quantiles.Length; k++)
            {
                float q = o.Quantiles[k];
                if (!(q > 0 && q < 1)) Range(false, $"quantiles[{k}]", q, "in (0, 1)");
                else if (Array.IndexOf(o.Quantiles, q) < k) problems.Add(new TrainingProblem($"quantiles[{k}]", $"Duplicate quantile level {q.ToString(System.Globalization.CultureInfo.InvariantCulture)}: levels must be distinct."));
            }
        if (o.FutureCovariates is null) problems.Add(new TrainingProblem("futureCovariates", "futureCovariates is required (empty when no covariate is known in advance)."));
        if (o.HiddenSize is >= 1 and <= 2048 && o.Ensemble is >= 1 and <= 32 && o.HiddenSize * o.Ensemble > LstmConfig.MaxWidth)
            problems.Add(new TrainingProblem("ensemble",
                $"hiddenSize × ensemble = {o.HiddenSize} × {o.Ensemble} = {o.HiddenSize * o.Ensemble} exceeds the merged network's limit of {LstmConfig.MaxWidth} units.", o.Ensemble));
    }

    static void CheckSeries(IReadOnlyList<TrainingSeries> series, TrainingOptions o, List<TrainingProblem> problems)
    {
        if (series.Count == 0) { problems.Add(new TrainingProblem("series", "At least one series is needed.")); return; }
        bool lengthKnown = o.InputWindow is >= 0 and <= 4096 && o.Horizon is >= 1 and <= 1000;
        int needed = Math.Max(o.InputWindow, 2) + o.Horizon;
        string rule = o.InputWindow > 0
            ? $"inputWindow + horizon = {o.InputWindow} + {o.Horizon} = {needed} are needed"
            : $"at least {needed} are needed (horizon {o.Horizon} plus a window of 2; inputWindow is chosen from the data)";
        // Series 0's covariate names are the reference for the others.
        var names = series[0]?.Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        if (names.Any(string.IsNullOrEmpty)) problems.Add(new TrainingProblem("series[0].covariates", "Covariate names must not be empty."));
        for (int i = 0; i < series.Count; i++)
        {
            var field = $"series[{i}]";
            if (series[i] is not { } one) { problems.Add(new TrainingProblem(field, $"{field} is required.")); continue; }
            if (one.Values is not { } values) { problems.Add(new TrainingProblem($"{field}.values", "Required: the values (NaN marks a missing value).")); continue; }
            CheckValues(values, $"{field}.values", problems, out int gaps);
            int len = values.Length;
            if (lengthKnown && len - gaps < needed) problems.Add(new TrainingProblem($"{field}.values", $"Too short: {len - gaps} observed values, but {rule}."));
            else if (SeriesMath.MostlyMissing(gaps, len)) problems.Add(new TrainingProblem($"{field}.values", $"Mostly missing: {gaps} of {len} values are missing."));

            var keys = one.Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
            if (!keys.SequenceEqual(names, StringComparer.Ordinal))
            {
                problems.Add(new TrainingProblem($"{field}.covariates",
                    $"Every series needs the same covariates: this one has [{string.Join(", ", keys)}], series[0] has [{string.Join(", ", names)}]."));
                continue;
            }
            foreach (var name in keys)
            {
                var path = $"{field}.covariates.{name}";
                if (one.Covariates![name] is not { } c) { problems.Add(new TrainingProblem(path, $"Required: {len} values aligned with the series' values (NaN marks a missing value).")); continue; }
                if (c.Length != len) { problems.Add(new TrainingProblem(path, $"Has {c.Length} values; the series has {len}: covariates are aligned with the values.")); continue; }
                CheckValues(c, path, problems, out int cGaps);
                if (SeriesMath.MostlyMissing(cGaps, len)) problems.Add(new TrainingProblem(path, $"Mostly missing: {cGaps} of {len} values are missing."));
            }
        }
        if (o.FutureCovariates is { } future)
        {
            for (int k = 0; k < future.Length; k++)
            {
                var name = future[k];
                if (name is null || !names.Contains(name, StringComparer.Ordinal))
                    problems.Add(new TrainingProblem($"futureCovariates[{k}]", names.Length == 0
                        ? $"'{name}' is not a covariate: the series have none."
                        : $"'{name}' is not a covariate of the series ({string.Join(", ", names)})."));
                else if (Array.IndexOf(future, name) < k) problems.Add(new TrainingProblem($"futureCovariates[{k}]", $"Duplicate name '{name}'."));
            }
        }
        if (o.Strategy == ForecastStrategy.Recursive && (names.Length > 0 || o.FutureCovariates is { Length: > 0 }))
            problems.Add(new TrainingProblem("strategy", "Covariates need the direct strategy: a recursive model reads the target alone."));
    }

    /// <summary>Values are finite or NaN (missing): names the first infinite one.</summary>
    static void CheckValues(float[] values, string field, List<TrainingProblem> problems, out int missing)
    {
        missing = 0;
        bool reported = false;
        for (int j = 0; j < values.Length; j++)
        {
            float v = values[j];
            if (float.IsNaN(v)) missing++;
            else if (float.IsInfinity(v) && !reported)
            {
                problems.Add(new TrainingProblem($"{field}[{j}]", "Infinite value: use NaN for a missing value."));
                reported = true;
            }
        }
    }
}

/// <summary>The input series gap-filled and split by time (the split does not depend on the window).</summary>
internal sealed class SeriesSet
{
    public required float[][] Raw { get; init; }
    public required float[][] Filled { get; init; }
    /// <summary>First index of each series' validation part (= its length when there is none).</summary>
    public required int[] ValidationStart { get; init; }
    public required int MissingValues { get; init; }
    /// <summary>[series][k]: missing values among the first k (length + 1 entries per series).</summary>
    public required int[][] MissingBefore { get; init; }
    /// <summary>Covariate names (ordinal order), the same for every series.</summary>
    public string[] CovariateNames { get; init; } = [];
    /// <summary>[series][covariate] values as given (NaN = missing) and gap-filled.</summary>
    public float[][][] CovariatesRaw { get; init; } = [];
    public float[][][] CovariatesFilled { get; init; } = [];
    public int Count => Raw.Length;
    public bool HasValidation => ValidationStart.Select((v, i) => v < Raw[i].Length).Any(b => b);

    /// <summary>
    /// Whether values [end - window, end) of a series are not mostly missing: what <see cref="ForecastModel.Forecast(IReadOnlyList{ForecastInput}, int?)"/>
    /// asks of a history, so the only origins the trainer trains on, validates on, calibrates on and backtests.
    /// </summary>
    public bool InputObserved(int series, int end, int window) =>
        !SeriesMath.MostlyMissing(MissingBefore[series][end] - MissingBefore[series][end - window], window);

    /// <summary>Whether any of values [start, start + steps) is observed (a window whose targets are all missing teaches nothing).</summary>
    public bool AnyObserved(int series, int start, int steps) => MissingBefore[series][start + steps] - MissingBefore[series][start] < steps;

    /// <summary>Gap-fills and splits series that <see cref="ForecastTrainer.Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> accepted.</summary>
    public static SeriesSet Prepare(IReadOnlyList<TrainingSeries> series, TrainingOptions options)
    {
        int s = options.Horizon, n = series.Count, minimum = Math.Max(options.InputWindow, 2) + s;
        var raw = new float[n][]; var filled = new float[n][]; var vStart = new int[n]; var missingBefore = new int[n][];
        var names = series[0].Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        var covRaw = new float[n][][]; var covFilled = new float[n][][];
        int missing = 0;
        for (int i = 0; i < n; i++)
        {
            var values = series[i].Values;
            int len = values.Length;
            var before = new int[len + 1];
            for (int t = 0; t < len; t++) before[t + 1] = before[t] + (float.IsNaN(values[t]) ? 1 : 0);
            missingBefore[i] = before;
            missing += before[len];
            raw[i] = values;
            filled[i] = new float[len];
            SeriesMath.FillGaps(values, filled[i]);
            int val = (int)Math.Round(len * (double)options.ValidationFraction);
            // Validation needs one full horizon and the training part a few windows; otherwise train on everything.
            if (val < s || len - val < minimum + s) val = 0;
            vStart[i] = len - val;

            covRaw[i] = new float[names.Length][]; covFilled[i] = new float[names.Length][];
            for (int k = 0; k < names.Length; k++)
            {
                var c = series[i].Covariates![names[k]];
                covRaw[i][k] = c;
                covFilled[i][k] = new float[len];
                SeriesMath.FillGaps(c, covFilled[i][k]);
            }
        }
        return new SeriesSet
        {
            Raw = raw, Filled = filled, ValidationStart = vStart, MissingValues = missing, MissingBefore = missingBefore,
            CovariateNames = names, CovariatesRaw = covRaw, CovariatesFilled = covFilled,
        };
    }

    /// <summary>Scaling statistics per series, on the training part only or on everything.</summary>
    public (float Center, float Scale)[] Statistics(ScalingMode mode, bool validationHeldOut) =>
        Filled.Select((f, i) => SeriesMath.Statistics(f.AsSpan(0, validationHeldOut ? ValidationStart[i] : f.Length), mode)).ToArray();

    /// <summary>Season of the longest series' training part.</summary>
    public int DetectSeason()
    {
        int longest = 0;
        for (int i = 1; i < Count; i++) if (ValidationStart[i] > ValidationStart[longest]) longest = i;
        return SeriesMath.DetectSeason(Filled[longest].AsSpan(0, ValidationStart[longest]));
    }

    public List<SeriesPart> Parts((float Center, float Scale)[] stats, bool heldOut) =>
        Enumerable.Range(0, Count).Select(i => new SeriesPart(Raw[i], Filled[i], 0, heldOut ? ValidationStart[i] : Raw[i].Length, stats[i].Center, stats[i].Scale)).ToList();
}

/// <summary>One training or validation window: series index and the index of its first target.</summary>
internal readonly record struct WindowRef(int Series, int TargetStart);

/// <summary>The series cut into training and validation windows of one length.</summary>
internal sealed class WindowedData
{
    public required int Window { get; init; }
    public required int Horizon { get; init; }
    public required ScalingMode Scaling { get; init; }
    public required float[][] Raw { get; init; }
    public required float[][] Filled { get; init; }
    /// <summary>Scaling statistics per series (training part only while validation is held out).</summary>
    public required (float Center, float Scale)[] Stats { get; init; }
    /// <summary>First index of each series' validation part (= its length when there is none).</summary>
    public required int[] ValidationStart { get; init; }
    public required List<WindowRef> Train { get; init; }
    public required List<WindowRef> Validation { get; init; }
    public required int MissingValues { get; init; }
    /// <summary>Network input layout (covariates and their futures).</summary>
    public required InputLayout Layout { get; init; }
    /// <summary>[series][covariate] gap-filled covariates and their z-score statistics (training part, or everything).</summary>
    public required float[][][] Covariates { get; init; }
    public required (float Center, float Scale)[][] CovariateStats { get; init; }

    public static WindowedData Build(SeriesSet set, (float Center, float Scale)[] stats, int w, int s, ScalingMode scaling, bool heldOut, string[]? futureCovariates = null)
    {
        futureCovariates ??= [];
        var train = new List<WindowRef>(); var validation = new List<WindowRef>();
        var vStart = new int[set.Count];
        // Only origins a forecast could start from (input not mostly missing) with at least one observed target.
        bool Usable(int i, int t) => set.InputObserved(i, t, w) && set.AnyObserved(i, t, s);
        for (int i = 0; i < set.Count; i++)
        {
            int len = set.Raw[i].Length;
            vStart[i] = heldOut ? set.ValidationStart[i] : len;
            for (int t = w; t + s <= vStart[i]; t++) if (Usable(i, t)) train.Add(new WindowRef(i, t));
            for (int t = Math.Max(w, vStart[i]); t + s <= len; t++) if (Usable(i, t)) validation.Add(new WindowRef(i, t));
        }
        if (train.Count == 0)
            throw new ArgumentException($"The series are too short (or too gappy) for one training window of {w} values, at least half of them observed, and horizon {s}.", "series");
        var covStats = set.CovariatesFilled.Select((c, i) => c.Select(v => SeriesMath.Statistics(v.AsSpan(0, vStart[i]), ScalingMode.SeriesZScore)).ToArray()).ToArray();
        var future = set.CovariateNames.Select(n => futureCovariates.Contains(n, StringComparer.Ordinal)).ToArray();
        return new WindowedData
        {
            Window = w, Horizon = s, Scaling = scaling, Raw = set.Raw, Filled = set.Filled, Stats = stats,
            ValidationStart = vStart, Train = train, Validation = validation, MissingValues = set.MissingValues,
            Layout = new InputLayout(w, s, future), Covariates = set.CovariatesFilled, CovariateStats = covStats,
        };
    }
}

/// <summary>How a phase of training went.</summary>
internal sealed record FitSummary(List<double> TrainLosses, List<double> ValidationLosses, List<float> LearningRates, int BestEpoch);

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
    readonly LstmWorkspace[] _workspaces;
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
        var config = new LstmConfig(data.Layout.Features, options.HiddenSize, options.Layers, o, options.Peepholes, options.Dropout);
        Members = new LstmNetwork[k];
        _workspaces = new LstmWorkspace[k]; _optimizers = new AdamOptimizer[k]; _rngs = new SeededRandom[k]; _batches = new BatchBuffers[k];
        _orders = new int[k][]; _seeds = new ulong[k];
        for (int m = 0; m < k; m++)
        {
            _seeds[m] = MemberSeed(options.Seed, m);
            var net = LstmNetwork.Create(config, _seeds[m], forgetBiasOne: true);
            // A zero head starts every member at the highway's forecast (or the last level without one), not at noise.
            net.Parameter(ParameterLayout.HeadWeight).Clear();
            net.Parameter(ParameterLayout.HeadBias).Clear();
            net.ParametersChanged();
            Members[m] = net;
            _workspaces[m] = net.CreateWorkspace();
            _optimizers[m] = new AdamOptimizer(net.Parameters.Length, options.LearningRate, weightDecay: options.WeightDecay);
            _rngs[m] = new SeededRandom(_seeds[m] ^ 0x5DEECE66DUL);
            _batches[m] = new BatchBuffers(Math.Min(options.BatchSize, data.Train.Count), data.Layout, s, q, _highway);
            _orders[m] = Enumerable.Range(0, data.Train.Count).ToArray();
        }
    }

    public LstmNetwork[] Members { get; }

    /// <summary>Member 0 trains from the request's seed; the others from seeds derived from it.</summary>
    public static ulong MemberSeed(ulong seed, int member) => member == 0 ? seed : seed + (ulong)member * 0x9E3779B97F4A7C15UL;

    /// <summary>Trains with early stopping on the validation windows (on the training loss when there are none), keeping the best epoch.</summary>
    public FitSummary Fit(int epochs, int patience, Action<EpochProgress>? progress, CancellationToken ct)
    {
        var best = Members.Select(n => (float[])n.Parameters.Clone()).ToArray();
        var trainLosses = new List<double>(); var validationLosses = new List<double>(); var rates = new List<float>();
        double bestScore = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, sincePlateau = 0, plateauPatience = Math.Max(2, patience / 3);
        float lr = _options.LearningRate;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            rates.Add(lr);
            double trainLoss = Epoch(lr, ct);
            double validationLoss = _data.Validation.Count > 0 ? Evaluate(_data.Validation) : double.NaN;
            trainLosses.Add(trainLoss);
            validationLosses.Add(validationLoss);
            double score = double.IsNaN(validationLoss) ? trainLoss : validationLoss;
            if (!double.IsFinite(score)) throw new InvalidOperationException($"Training diverged at epoch {epoch} (loss {score}); lower the learning rate.");
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
        return new FitSummary(trainLosses, validationLosses, rates, bestEpoch);
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
            for (int start = 0; start < order.Length; start += batch.Capacity)
            {
                int nb = Math.Min(batch.Capacity, order.Length - start);
                batch.Fill(_data, _data.Train, order.AsSpan(start, nb));
                ws.Forward(batch.X.AsSpan(0, nb * row), nb, t, training: true, dropoutSeed: _seeds[m] + ++_step);
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

/// <summary>A highway composed for one window and horizon.</summary>
internal sealed class ComposedHighway(LinearHighway highway, int window, int horizon)
{
    readonly (float[] Matrix, float[] Bias) _map = highway.Compose(window, horizon);

    public void Forecast(ReadOnlySpan<float> x, Span<float> y) => LinearHighway.Apply(_map.Matrix, _map.Bias, window, x, y);
}

/// <summary>Reusable buffers for one mini-batch: inputs, scaled targets, split predictions and the output gradient.</summary>
internal sealed class BatchBuffers
{
    readonly int _w, _s, _q;
    readonly float[] _windows, _targets, _linear, _mean, _meanGrad, _quant, _quantGrad;
    readonly ComposedHighway? _highway;
    readonly InputLayout _layout;

    public BatchBuffers(int capacity, InputLayout layout, int horizon, int quantiles, ComposedHighway? highway = null)
    {
        Capacity = Math.Max(1, capacity);
        _layout = layout;
        _w = layout.Window; _s = horizon; _q = quantiles;
        _highway = highway;
        X = new float[Capacity * layout.RowLength];
        _windows = layout.Plain ? X : new float[Capacity * _w];
        _targets = new float[Capacity * horizon];
        _linear = new float[Capacity * horizon];
        _mean = new float[Capacity * horizon];
        _meanGrad = new float[Capacity * horizon];
        _quant = new float[Capacity * horizon * quantiles];
        _quantGrad = new float[Capacity * horizon * quantiles];
        OutputGradient = new float[Capacity * horizon * (1 + quantiles)];
    }

    public BatchBuffers(int capacity, int window, int horizon, int quantiles, ComposedHighway? highway = null)
        : this(capacity, new InputLayout(window, horizon, []), horizon, quantiles, highway)
    {
    }

    public int Capacity { get; }
    /// <summary>Network input rows ([Capacity, Steps, Features]).</summary>
    public float[] X { get; }
    public float[] OutputGradient { get; }

    /// <summary>The mean head's part (MSE) of the last <see cref="Loss"/>.</summary>
    public double LastMeanLoss { get; private set; }

    /// <summary>Encoded targets of the rows last filled (NaN where missing).</summary>
    public ReadOnlySpan<float> Targets => _targets;

    public void Fill(WindowedData data, IReadOnlyList<WindowRef> windows, ReadOnlySpan<int> indices)
    {
        int row = _layout.RowLength;
        for (int b = 0; b < indices.Length; b++)
        {
            var win = windows[indices[b]];
            var x = _windows.AsSpan(b * _w, _w);
            var (level, scale) = ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, _w, data.Scaling, data.Stats[win.Series], x);
            if (!_layout.Plain) _layout.Encode(x, data.Covariates[win.Series], data.CovariateStats[win.Series], win.TargetStart, X.AsSpan(b * row, row));
            var raw = data.Raw[win.Series];
            for (int t = 0; t < _s; t++) _targets[b * _s + t] = (raw[win.TargetStart + t] - level) / scale; // NaN stays NaN: masked
            if (_highway is not null) _highway.Forecast(x, _linear.AsSpan(b * _s, _s));
        }
    }

    /// <summary>
    /// MSE on the mean head plus pinball on the quantile heads, in scaled units, with the highway's forecast added to every
    /// head (the network learns the residual); fills <see cref="OutputGradient"/>.
    /// </summary>
    public double Loss(ReadOnlySpan<float> output, float[] quantiles, int rows, bool computeGradient)
    {
        int s = _s, q = _q, o = s * (1 + q);
        for (int b = 0; b < rows; b++)
        {
            output.Slice(b * o, s).CopyTo(_mean.AsSpan(b * s, s));
            if (q > 0) output.Slice(b * o + s, q * s).CopyTo(_quant.AsSpan(b * q * s, q * s));
            if (_highway is not null)
            {
                var linear = _linear.AsSpan(b * s, s);
                System.Numerics.Tensors.TensorPrimitives.Add(_mean.AsSpan(b * s, s), linear, _mean.AsSpan(b * s, s));
                for (int k = 0; k < q; k++)
                {
                    var block = _quant.AsSpan((b * q + k) * s, s);
                    System.Numerics.Tensors.TensorPrimitives.Add(block, linear, block);
                }
            }
        }
        var targets = _targets.AsSpan(0, rows * s);
        double loss = Losses.MeanSquaredError(_mean.AsSpan(0, rows * s), targets, _meanGrad.AsSpan(0, rows * s));
        LastMeanLoss = loss;
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

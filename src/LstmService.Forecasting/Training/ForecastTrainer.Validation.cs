using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Training;

// The up-front checks of a training request: option bounds, series, covariates (see Check).
public static partial class ForecastTrainer
{
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
        Range(o.InputWindow is 0 or (>= 2 and <= 4096), "inputWindow", o.InputWindow, "in 2..4096 (or 0 to choose it from the data)");
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
        if (o.SeasonCandidates is { } candidates && candidates.Where((c, k) => c < 2 || c > 10000 || k > 0 && c <= candidates[k - 1]).Any())
            problems.Add(new TrainingProblem("seasonCandidates", "Season candidates must be ascending, each in 2..10000."));
        Range(o.Ensemble is >= 1 and <= 32, "ensemble", o.Ensemble, "in 1..32");
        Range(Enum.IsDefined(o.Strategy), "strategy", o.Strategy, "direct or recursive");
        Range(Enum.IsDefined(o.Cell), "cell", o.Cell, "lstm or gru");
        if (o.Cell == RecurrentCell.Gru && o.Peepholes)
            problems.Add(new TrainingProblem("peepholes", "A GRU has no cell state for peepholes to read: use peepholes only with cell lstm.", o.Peepholes));
        Range(o.SearchFolds is >= 1 and <= TrainingOptions.MaxSearchFolds, "searchFolds", o.SearchFolds, $"in 1..{TrainingOptions.MaxSearchFolds}");
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
        if (o.InitialWeights is { } initial) CheckWarmStart(o, initial.Config, problems);
        if (o.UpperBound is { } bound && !float.IsFinite(bound)) problems.Add(new TrainingProblem("upperBound", "upperBound must be a finite number.", bound));
        if (o.UpperBound is { } upper && o.NonNegative == true && upper < 0)
            problems.Add(new TrainingProblem("upperBound", $"upperBound {upper.ToString(System.Globalization.CultureInfo.InvariantCulture)} is below zero, where nonNegative clamps forecasts from below: leave one of them out.", upper));
    }

    /// <summary>A warm start keeps its network's shape: no search, the window given, and hidden units, layers, peepholes and head as they were.</summary>
    static void CheckWarmStart(TrainingOptions o, RecurrentConfig c, List<TrainingProblem> problems)
    {
        if (o.Search) problems.Add(new TrainingProblem("search", "A warm start keeps its initial network's shape: search must be off."));
        if (o.InputWindow == 0) problems.Add(new TrainingProblem("inputWindow", "A warm start continues a network trained on a known window: give inputWindow."));
        int outputs = (o.Strategy == ForecastStrategy.Recursive ? 1 : o.Horizon) * (1 + (o.Quantiles?.Length ?? 0));
        if (c.Cell != o.Cell || (long)o.HiddenSize * o.Ensemble != c.HiddenSize || o.Layers != c.Layers || o.Peepholes != c.Peepholes || outputs != c.OutputSize)
            problems.Add(new TrainingProblem("initialWeights",
                $"The initial network ({RecurrentConfig.Name(c.Cell)}, {c.HiddenSize} units, {c.Layers} layer(s), {c.OutputSize} outputs) does not have the shape of cell {RecurrentConfig.Name(o.Cell)}, hiddenSize {o.HiddenSize} x ensemble {o.Ensemble}, {o.Layers} layer(s), {outputs} outputs."));
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
            // Asked for explicitly (chosen only for positive series otherwise): a value at or below zero has no logarithm.
            if (o.Transform == Statistics.SeriesTransform.Log && Array.FindIndex(values, v => v <= 0) is var bad and >= 0 && !problems.Any(p => p.Field == "transform"))
                problems.Add(new TrainingProblem("transform", $"log needs positive values: {field}.values[{bad}] is {values[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}; use none (or omit transform to choose from the data)."));
            int len = values.Length;
            // A bound the training series passes would clamp the very values it was fitted on: a typo in the request, or the wrong bound.
            if (o.UpperBound is { } bound && float.IsFinite(bound) && Array.FindIndex(values, v => v > bound) is var above and >= 0)
                problems.Add(new TrainingProblem($"{field}.values[{above}]",
                    $"{values[above].ToString(System.Globalization.CultureInfo.InvariantCulture)} is above upperBound {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}: every training value must lie at or below it."));
            // Judged from the first observed value to the last: the values outside them are left out of training (WithoutMissingEnds).
            int lead = Math.Max(0, Array.FindIndex(values, v => !float.IsNaN(v)));
            int last = Array.FindLastIndex(values, v => !float.IsNaN(v));
            int tail = last < 0 ? 0 : len - 1 - last; // none observed: every value counts as missing
            if (lengthKnown && len - gaps < needed) problems.Add(new TrainingProblem($"{field}.values", $"Too short: {len - gaps} observed values, but {rule}."));
            else if (SeriesMath.MostlyMissing(gaps - lead - tail, len - lead - tail))
                problems.Add(new TrainingProblem($"{field}.values", lead == 0 && tail == 0 ? $"Mostly missing: {gaps} of {len} values are missing."
                    : $"Mostly missing: {gaps - lead - tail} of the {len - lead - tail} values from the first observed one to the last are missing."));

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
        // A season no series holds once over had been accepted, reported as the version's season and used by nothing (the
        // members fell back to none, the seasonal-naive baseline to the naive one).
        int longest = series.Max(s => s?.Values?.Length ?? 0);
        if (o.SeasonLength > 1 && longest > 0 && longest <= o.SeasonLength)
            problems.Add(new TrainingProblem("seasonLength",
                $"No series holds one season of {o.SeasonLength} values and the next value (the longest has {longest}): give a shorter season, or 0 to detect it.", o.SeasonLength));
        if (o.Strategy == ForecastStrategy.Recursive && (names.Length > 0 || o.FutureCovariates is { Length: > 0 }))
            problems.Add(new TrainingProblem("strategy", "Covariates need the direct strategy: a recursive model reads the target alone."));
    }

    /// <summary>
    /// Values are finite or NaN (missing): names the first infinite one. The smallest and the largest must also be less than
    /// float.MaxValue apart: the model works on differences between values (steps, deviations from a level), and a
    /// difference beyond the float range made training diverge with advice to lower the learning rate.
    /// </summary>
    static void CheckValues(float[] values, string field, List<TrainingProblem> problems, out int missing)
    {
        missing = 0;
        bool reported = false;
        int lowest = -1, highest = -1;
        for (int j = 0; j < values.Length; j++)
        {
            float v = values[j];
            if (float.IsNaN(v)) missing++;
            else if (float.IsInfinity(v))
            {
                if (!reported) problems.Add(new TrainingProblem($"{field}[{j}]", "Infinite value: use NaN for a missing value."));
                reported = true;
            }
            else
            {
                if (lowest < 0 || v < values[lowest]) lowest = j;
                if (highest < 0 || v > values[highest]) highest = j;
            }
        }
        if (reported || lowest < 0 || (double)values[highest] - values[lowest] <= float.MaxValue) return;
        // The value of larger magnitude is named: it is the one out of scale with the rest.
        var (culprit, other) = Math.Abs(values[highest]) >= Math.Abs(values[lowest]) ? (highest, lowest) : (lowest, highest);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        problems.Add(new TrainingProblem($"{field}[{culprit}]",
            $"{values[culprit].ToString("G3", c)} is {((double)values[highest] - values[lowest]).ToString("G3", c)} away from {field}[{other}] ({values[other].ToString("G3", c)}), "
            + $"more than a 32-bit float holds ({float.MaxValue.ToString("G3", c)}): the model works on differences between values. Rescale the series (divide every value by a constant) or mark the value as missing."));
    }
}

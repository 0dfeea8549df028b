using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Kernels.Forecasting;

namespace LstmService.Training;

/// <summary>
/// Checks a training request against sane bounds and the configured limits and resolves omitted fields to the
/// kernel's defaults. Every problem is reported under the field's JSON path so clients can fix all at once.
/// The rules mirror the kernel's (<see cref="ForecastTrainer"/>), so a job that is accepted does not fail on its input.
/// </summary>
public static class TrainingRequestValidator
{
    public const int MaxInputWindow = 1024, MaxHorizon = 365, MaxHiddenSize = 1024, MaxLayers = 8, MaxBatchSize = 4096, MaxPatience = 1000, MaxQuantiles = 32,
        MaxSeasonLength = 1000, MaxEnsemble = 10, MaxCovariates = 32, MaxCovariateNameLength = 64;

    /// <summary>Fewest values the kernel reads per window when it chooses the window itself.</summary>
    public const int MinAutoWindow = 2;

    public static TrainingJobSpec? Validate(TrainingRequest request, TrainingQueueOptions limits, ValidationErrors errors)
    {
        var defaults = new TrainingOptions();
        errors.Range("inputWindow", request.InputWindow, 0, MaxInputWindow);
        errors.Range("horizon", request.Horizon, 1, MaxHorizon);
        errors.Range("hiddenSize", request.HiddenSize, 1, MaxHiddenSize);
        errors.Range("layers", request.Layers, 1, MaxLayers);
        errors.Range("epochs", request.Epochs, 1, limits.MaxEpochs);
        errors.Range("batchSize", request.BatchSize, 1, MaxBatchSize);
        errors.Range("patience", request.Patience, 1, MaxPatience);
        errors.Range("seasonLength", request.SeasonLength, 0, MaxSeasonLength);
        errors.Range("ensemble", request.Ensemble, 1, MaxEnsemble);
        if (request.Dropout is { } dropout && !(dropout >= 0 && dropout < 1)) errors.Add("dropout", $"Must be in [0, 1); got {dropout}.");
        if (request.LearningRate is { } lr && !(lr > 0 && lr <= 1)) errors.Add("learningRate", $"Must be in (0, 1]; got {lr}.");
        if (request.WeightDecay is { } wd && !(wd >= 0 && wd < 1)) errors.Add("weightDecay", $"Must be in [0, 1); got {wd}.");
        if (request.ValidationFraction is { } vf && !(vf >= 0 && vf <= 0.5)) errors.Add("validationFraction", $"Must be in [0, 0.5]; got {vf}.");
        // The string-enum converter also takes numbers, so an undefined value can arrive here.
        if (request.Scaling is { } scaling && !Enum.IsDefined(scaling)) errors.Add("scaling", "Must be windowLevel, seriesZScore or seriesRobust.");
        if (request.Strategy is { } strategy && !Enum.IsDefined(strategy)) errors.Add("strategy", "Must be direct or recursive.");
        var quantiles = ValidateQuantiles(request.Quantiles, errors) ?? defaults.Quantiles;

        // Omitted fields keep the kernel's defaults: the service states none of its own.
        var options = defaults with
        {
            InputWindow = request.InputWindow ?? defaults.InputWindow,
            Horizon = request.Horizon ?? defaults.Horizon,
            HiddenSize = request.HiddenSize ?? defaults.HiddenSize,
            Layers = request.Layers ?? defaults.Layers,
            Dropout = (float)(request.Dropout ?? defaults.Dropout),
            Peepholes = request.Peepholes ?? defaults.Peepholes,
            Epochs = request.Epochs ?? Math.Min(defaults.Epochs, limits.MaxEpochs),
            BatchSize = request.BatchSize ?? defaults.BatchSize,
            LearningRate = (float)(request.LearningRate ?? defaults.LearningRate),
            WeightDecay = (float)(request.WeightDecay ?? defaults.WeightDecay),
            ValidationFraction = (float)(request.ValidationFraction ?? defaults.ValidationFraction),
            Patience = request.Patience ?? defaults.Patience,
            Seed = request.Seed ?? defaults.Seed,
            Quantiles = quantiles.Order().ToArray(),
            Scaling = request.Scaling ?? defaults.Scaling,
            SeasonLength = request.SeasonLength ?? defaults.SeasonLength,
            Ensemble = request.Ensemble ?? defaults.Ensemble,
            Highway = request.Highway ?? defaults.Highway,
            Refit = request.Refit ?? defaults.Refit,
            Calibrate = request.Calibrate ?? defaults.Calibrate,
            Search = request.Search ?? defaults.Search,
            Strategy = request.Strategy ?? defaults.Strategy,
            FutureCovariates = request.FutureCovariates?.ToArray() ?? defaults.FutureCovariates,
        };

        // The ensemble is merged into one network whose width is hiddenSize × ensemble.
        if (options.HiddenSize is >= 1 and <= MaxHiddenSize && options.Ensemble is >= 1 and <= MaxEnsemble
            && (long)options.HiddenSize * options.Ensemble > LstmConfig.MaxWidth)
            errors.Add(request.Ensemble is null ? "hiddenSize" : "ensemble",
                $"hiddenSize × ensemble = {options.HiddenSize} × {options.Ensemble} = {options.HiddenSize * options.Ensemble} exceeds the merged network's limit of {LstmConfig.MaxWidth} units.");

        var settings = TrainingSettings.From(options);
        var series = ValidateSeries(request.Series, settings, limits, errors);
        if (series is not null) ValidateCovariateOptions(series, settings, request, errors);
        return errors.IsValid && series is not null ? new TrainingJobSpec(settings, series) : null;
    }

    /// <summary>
    /// Observed values a series needs: the kernel reads at least one window plus the horizon, where the window is inputWindow,
    /// or (chosen from the data) at least <see cref="MinAutoWindow"/>.
    /// </summary>
    public static int MinimumObserved(int inputWindow, int horizon) => Math.Max(inputWindow, MinAutoWindow) + horizon;

    internal static float[]? ValidateQuantiles(IReadOnlyList<double>? quantiles, ValidationErrors errors)
    {
        if (quantiles is null) return null;
        if (quantiles.Count > MaxQuantiles) { errors.Add("quantiles", $"At most {MaxQuantiles} levels; got {quantiles.Count}."); return null; }
        var result = new float[quantiles.Count];
        var seen = new HashSet<float>();
        for (var i = 0; i < quantiles.Count; i++)
        {
            var q = quantiles[i];
            if (!(q > 0 && q < 1)) errors.Add($"quantiles[{i}]", $"Must be in (0, 1); got {q}.");
            else if (!seen.Add((float)q)) errors.Add($"quantiles[{i}]", $"Duplicate level {q}.");
            result[i] = (float)q;
        }
        return result;
    }

    /// <summary>A covariate name: 1..64 printable characters (it appears in field names such as series[0].covariates.temperature).</summary>
    internal static string? CovariateNameProblem(string name) =>
        string.IsNullOrWhiteSpace(name) ? "Covariate names must not be empty."
        : name.Length > MaxCovariateNameLength ? $"Covariate names have at most {MaxCovariateNameLength} characters."
        : name.Any(char.IsControl) ? "Covariate names must not hold control characters."
        : null;

    private static List<StoredSeries>? ValidateSeries(IReadOnlyList<SeriesInput>? series, TrainingSettings settings, TrainingQueueOptions limits, ValidationErrors errors)
    {
        if (series is null || series.Count == 0)
        {
            errors.Add("series", "At least one series is required.");
            return null;
        }
        if (series.Count > limits.MaxSeries)
        {
            errors.Add("series", $"At most {limits.MaxSeries} series per job (TrainingQueue:MaxSeries); got {series.Count}.");
            return null;
        }

        var needed = MinimumObserved(settings.InputWindow, settings.Horizon);
        var rule = settings.InputWindow > 0
            ? $"inputWindow + horizon = {settings.InputWindow} + {settings.Horizon} = {needed} are needed"
            : $"at least {needed} are needed (horizon {settings.Horizon} plus a window of {MinAutoWindow}; inputWindow is chosen from the data)";
        string[]? names = null; // covariate names of the first series, the reference for the others
        long total = 0;
        var result = new List<StoredSeries>(series.Count);
        for (var i = 0; i < series.Count; i++)
        {
            var field = $"series[{i}].values";
            var values = series[i]?.Values;
            if (values is null || values.Count == 0)
            {
                errors.Add(field, "Required: a non-empty array of numbers (null marks a missing value).");
                continue;
            }
            total += values.Count;
            if (values.Count > limits.MaxPointsPerSeries)
            {
                errors.Add(field, $"At most {limits.MaxPointsPerSeries} values per series (TrainingQueue:MaxPointsPerSeries); got {values.Count}.");
                continue;
            }

            var copy = CopyValues(values, field, errors, out var missing);
            var observed = values.Count - missing;
            if (observed < needed)
                errors.Add(field, $"Too short: {observed} observed values, but {rule}.");
            else if (missing * 2 > values.Count)
                errors.Add(field, $"Mostly missing: {missing} of {values.Count} values are null.");

            var covariates = ValidateCovariates(series[i]!.Covariates, i, values.Count, ref names, errors, ref total);
            result.Add(new StoredSeries(series[i]!.Id, copy, covariates));
        }
        if (total > limits.MaxTotalPoints)
            errors.Add("series", $"At most {limits.MaxTotalPoints} values in all series and their covariates (TrainingQueue:MaxTotalPoints); got {total}.");
        return result;
    }

    private static double?[] CopyValues(IReadOnlyList<double?> values, string field, ValidationErrors errors, out int missing)
    {
        var copy = new double?[values.Count];
        missing = 0;
        for (var j = 0; j < values.Count; j++)
        {
            var v = values[j];
            if (v is null) { missing++; continue; }
            if (!double.IsFinite(v.Value)) errors.AddElement($"{field}[{j}]", "NaN/Infinity is not allowed; use null for a missing value.", field);
            else if (Math.Abs(v.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            copy[j] = v;
        }
        return copy;
    }

    /// <summary>One series' covariates: the same names as series 0, each as long as the values, finite or null, not mostly missing.</summary>
    private static Dictionary<string, double?[]>? ValidateCovariates(IReadOnlyDictionary<string, IReadOnlyList<double?>>? given, int i, int length,
        ref string[]? reference, ValidationErrors errors, ref long total)
    {
        var field = $"series[{i}].covariates";
        var keys = given?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        if (reference is null)
        {
            reference = keys;
            if (keys.Length > MaxCovariates)
            {
                errors.Add(field, $"At most {MaxCovariates} covariates; got {keys.Length}.");
                return null;
            }
            foreach (var key in keys)
                if (CovariateNameProblem(key) is { } problem) errors.Add(field, problem);
        }
        else if (!keys.SequenceEqual(reference, StringComparer.Ordinal))
        {
            errors.Add(field, $"Every series needs the same covariates: this one has [{string.Join(", ", keys)}], series[0] has [{string.Join(", ", reference)}].");
            return null;
        }
        if (given is null || keys.Length == 0) return null;

        var result = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var name in keys)
        {
            var path = $"{field}.{name}";
            var values = given[name];
            if (values is null)
            {
                errors.Add(path, $"Required: an array of {length} numbers (null marks a missing value), aligned with values.");
                continue;
            }
            total += values.Count;
            if (values.Count != length)
            {
                errors.Add(path, $"Has {values.Count} values; the series has {length}: covariates are aligned with values.");
                continue;
            }
            var copy = CopyValues(values, path, errors, out var missing);
            if (missing * 2 > length) errors.Add(path, $"Mostly missing: {missing} of {length} values are null.");
            result[name] = copy;
        }
        return result;
    }

    /// <summary>futureCovariates name covariates of the series; covariates (known in advance or not) need the direct strategy.</summary>
    private static void ValidateCovariateOptions(List<StoredSeries> series, TrainingSettings settings, TrainingRequest request, ValidationErrors errors)
    {
        var names = series.Count > 0 ? series[0].Covariates?.Keys.ToHashSet(StringComparer.Ordinal) ?? [] : [];
        var future = settings.FutureCovariates;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < future.Length; k++)
        {
            var name = future[k];
            if (name is null || !names.Contains(name))
                errors.Add($"futureCovariates[{k}]", names.Count == 0
                    ? $"'{name}' is not a covariate: the series have none (give them as series[i].covariates)."
                    : $"'{name}' is not a covariate of the series ({string.Join(", ", names.Order(StringComparer.Ordinal))}).");
            else if (!seen.Add(name)) errors.Add($"futureCovariates[{k}]", $"Duplicate name '{name}'.");
        }
        if (settings.Strategy == ForecastStrategy.Recursive && (names.Count > 0 || future.Length > 0))
            errors.Add("strategy", "Covariates need the direct strategy: a recursive model reads the target alone.");
    }
}

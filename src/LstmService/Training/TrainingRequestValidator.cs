using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;

namespace LstmService.Training;

/// <summary>
/// Checks a training request and resolves omitted fields to the kernel's defaults. The service checks what is its own: the
/// HTTP shape (arrays present, numbers finite and in float range, covariate names fit for field paths) and its limits
/// (option bounds, series and points per job); the rules about the data (lengths, missing values, covariate alignment,
/// futureCovariates, strategy) are the kernel's, asked through <see cref="ForecastTrainer.Check"/>, the same checks
/// <see cref="ForecastTrainer.Train(IReadOnlyList{TrainingSeries}, TrainingOptions, Action{EpochProgress}?, CancellationToken)"/>
/// makes, so a job that is accepted does not fail on its input. Every problem is reported under the field's JSON path so
/// clients can fix all at once.
/// </summary>
public static class TrainingRequestValidator
{
    public const int MaxInputWindow = 1024, MaxHorizon = 365, MaxHiddenSize = 1024, MaxLayers = 8, MaxBatchSize = 4096, MaxPatience = 1000, MaxQuantiles = 32,
        MaxSeasonLength = 1000, MaxEnsemble = 10, MaxCovariates = 32, MaxCovariateNameLength = 64;

    /// <summary>
    /// The bounds of the network and optimiser fields both tasks take (sizes, epochs, batch, patience, cell, rates, the
    /// validation fraction), checked in one place so a classification job accepts exactly what a forecasting one does.
    /// </summary>
    internal static void CheckNetworkFields(TrainingRequest request, TrainingQueueOptions limits, ValidationErrors errors)
    {
        errors.Range("hiddenSize", request.HiddenSize, 1, MaxHiddenSize);
        errors.Range("layers", request.Layers, 1, MaxLayers);
        errors.Range("epochs", request.Epochs, 1, limits.MaxEpochs, $"{TrainingQueueOptions.Section}:{nameof(TrainingQueueOptions.MaxEpochs)}");
        errors.Range("batchSize", request.BatchSize, 1, MaxBatchSize);
        errors.Range("patience", request.Patience, 1, MaxPatience);
        if (request.Cell is { } cell && !Enum.IsDefined(cell)) errors.Add("cell", "Must be lstm or gru.");
        if (request.Dropout is { } dropout && !(dropout >= 0 && dropout < 1)) errors.Add("dropout", $"Must be in [0, 1); got {dropout}.");
        // Dropout acts between recurrent layers: with one it changes nothing, and was accepted in silence (a QA pass). A
        // forecasting search's candidates include two layers; a warm start's layers are its parent's (WarmStart.Resolve ran).
        else if (request.Dropout > 0 && (request.Layers ?? 1) == 1 && !(request.Search == true && request.Task != ModelTask.Classification))
            errors.Add("dropout", request.InitFrom is null
                ? "Acts between recurrent layers, and this network has one (layers is 1): set layers to 2 or more, or leave dropout out."
                : "Acts between recurrent layers, and this network has one (layers 1, kept from the parent version): leave dropout out.");
        if (request.LearningRate is { } lr && !(lr > 0 && lr <= 1)) errors.Add("learningRate", $"Must be in (0, 1]; got {lr}.");
        if (request.WeightDecay is { } wd && !(wd >= 0 && wd < 1)) errors.Add("weightDecay", $"Must be in [0, 1); got {wd}.");
        if (request.ValidationFraction is { } vf && !(vf >= 0 && vf <= 0.5)) errors.Add("validationFraction", $"Must be in [0, 0.5]; got {vf}.");
    }

    public static TrainingJobSpec? Validate(TrainingRequest request, TrainingQueueOptions limits, ValidationErrors errors)
    {
        // The string-enum converter also takes numbers, so an undefined task can arrive here.
        if (request.Task is { } task && !Enum.IsDefined(task)) errors.Add("task", "Must be forecasting or classification.");
        if (request.Task == ModelTask.Classification) return ClassificationRequestValidator.Validate(request, limits, errors);
        ClassificationRequestValidator.RejectClassificationFields(request, errors);
        var defaults = new TrainingOptions();
        errors.Range("inputWindow", request.InputWindow, 0, MaxInputWindow);
        // One value is no window: the highway's autoregression and the members' mean read at least two.
        if (request.InputWindow == 1) errors.Add("inputWindow", $"Must be 0 (chosen from the data) or 2..{MaxInputWindow}; got 1.");
        errors.Range("horizon", request.Horizon, 1, MaxHorizon);
        CheckNetworkFields(request, limits, errors);
        errors.Range("seasonLength", request.SeasonLength, 0, MaxSeasonLength);
        errors.Range("ensemble", request.Ensemble, 1, MaxEnsemble);
        errors.Range("searchFolds", request.SearchFolds, 1, TrainingOptions.MaxSearchFolds);
        // A setting that would change nothing is refused rather than accepted in silence (a QA pass): the folds are the search's.
        if (request.SearchFolds is >= 1 and <= TrainingOptions.MaxSearchFolds && request.Search != true)
            errors.Add("searchFolds", "Only read by the hyperparameter search: set search to true, or leave searchFolds out.");
        // The string-enum converter also takes numbers, so an undefined value can arrive here.
        if (request.Scaling is { } scaling && !Enum.IsDefined(scaling)) errors.Add("scaling", "Must be windowLevel, seriesZScore or seriesRobust.");
        if (request.Strategy is { } strategy && !Enum.IsDefined(strategy)) errors.Add("strategy", "Must be direct or recursive.");
        if (request.Transform is { } transform && !Enum.IsDefined(transform)) errors.Add("transform", "Must be none or log (or null to choose from the data).");
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
            SearchFolds = request.SearchFolds ?? defaults.SearchFolds,
            // Peepholes exist on the LSTM only: a request asking for them without naming a cell gets the LSTM.
            Cell = request.Cell ?? (request.Peepholes == true ? RecurrentCell.Lstm : defaults.Cell),
            Strategy = request.Strategy ?? defaults.Strategy,
            FutureCovariates = request.FutureCovariates?.ToArray() ?? defaults.FutureCovariates,
            Statistics = request.Statistics ?? defaults.Statistics,
            Transform = request.Transform ?? defaults.Transform,
            NonNegative = request.NonNegative ?? defaults.NonNegative,
            UpperBound = (float?)request.UpperBound,
        };
        // The kernel's bound is a 32-bit float: a larger one (1e300) had been told it was not finite.
        if (request.UpperBound is { } upper && !(Math.Abs(upper) <= float.MaxValue))
        {
            errors.Add("upperBound", $"Must be within ±{float.MaxValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} (a 32-bit float); got {upper.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            options = options with { UpperBound = null };
        }

        CheckNetworkSize(options, request.Series?.FirstOrDefault()?.Covariates?.Count ?? 0, limits, errors);
        var series = ValidateSeries(request.Series, limits, errors);
        // Before the kernel's checks: timestamps put the values in time order and open their gaps, which changes lengths.
        var (frequency, timing) = TrainingTiming.Resolve(request, series ?? [], limits, errors);
        var settings = TrainingSettings.From(options) with { Frequency = frequency, Timing = timing };
        if (series is not null) AddKernelProblems(series, options, errors);
        // Last: the estimate needs options in range and the series' lengths, and is only worth a message when nothing else is wrong.
        if (series is not null && errors.IsValid)
            JobMemory.Check(options, series, request.Series?.FirstOrDefault()?.Covariates?.Count ?? 0, limits.MaxJobMemoryBytes, errors);
        return errors.IsValid && series is not null ? new TrainingJobSpec(settings, series) : null;
    }

    /// <summary>
    /// The merged network (hiddenSize x ensemble units per layer, what is stored and served) against the parameter budget,
    /// from the options alone: input widths are taken at their largest (target, covariates and the future flag).
    /// Options already out of range are left to their own errors.
    /// </summary>
    private static void CheckNetworkSize(TrainingOptions options, int covariates, TrainingQueueOptions limits, ValidationErrors errors)
    {
        var merged = (long)options.HiddenSize * options.Ensemble;
        var outputs = (long)(options.Strategy == ForecastStrategy.Recursive ? 1 : options.Horizon) * (1 + options.Quantiles.Length);
        if (options.HiddenSize is < 1 or > MaxHiddenSize || options.Ensemble is < 1 or > MaxEnsemble || merged > NetworkSize.MaxWidth
            || options.Layers is < 1 or > MaxLayers || covariates > MaxCovariates || outputs > NetworkSize.MaxWidth || options.Horizon < 1
            || !Enum.IsDefined(options.Cell))
            return;
        var parameters = NetworkSize.Parameters(2 + covariates, (int)merged, options.Layers, (int)outputs, options.Peepholes, options.Cell);
        NetworkSize.CheckBudget(parameters, limits.MaxNetworkParameters, "hiddenSize",
            $"The merged network ({options.Layers} layer(s) of hiddenSize {options.HiddenSize} x ensemble {options.Ensemble} units)", errors);
        if (!options.Search || !errors.IsValid) return;
        // The search may keep a wider or deeper candidate than asked for, and that is the network stored: it must fit too
        // (counted as an LSTM, the larger cell, as the search also tries the other cell).
        int hidden = JobMemory.SearchHiddenSize(options.HiddenSize, options.Ensemble), layers = JobMemory.SearchLayers(options.Layers);
        var searched = Math.Max(NetworkSize.Parameters(2 + covariates, hidden * options.Ensemble, options.Layers, (int)outputs, options.Peepholes),
            NetworkSize.Parameters(2 + covariates, (int)merged, layers, (int)outputs, options.Peepholes));
        NetworkSize.CheckBudget(searched, limits.MaxNetworkParameters, "search",
            $"The largest search candidate (hiddenSize {hidden} or {layers} layer(s), x ensemble {options.Ensemble})", errors);
    }

    /// <summary>
    /// The kernel's own checks of the options and series (<see cref="ForecastTrainer.Check"/>), added under their field paths.
    /// A field the service already named is not named twice: for a series, the same path or one inside or around it
    /// (series[0].values next to series[0].values[3]); for an option, any path of that option (the service checked the
    /// request's own values, e.g. quantiles[2] of the request where the kernel sees them sorted). The service's message,
    /// about the HTTP shape or its limits, is the one to fix first.
    /// </summary>
    private static void AddKernelProblems(List<StoredSeries> series, TrainingOptions options, ValidationErrors errors)
    {
        var named = errors.Fields.ToList();
        static bool Inside(string outer, string inner) =>
            outer == inner || (inner.Length > outer.Length && inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] is '[' or '.');
        static string Root(string field) => field[..(field.IndexOfAny(['[', '.']) is var k and >= 0 ? k : field.Length)];
        bool Named(string field) => Root(field) == "series"
            ? named.Any(n => Inside(n, field) || Inside(field, n))
            : named.Any(n => Root(n) == Root(field));
        foreach (var problem in ForecastTrainer.Check(series.Select(s => s.ToTrainingSeries()).ToList(), options))
            if (!Named(problem.Field)) errors.Add(problem.Field, problem.Message);
    }

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

    /// <summary>
    /// The series as stored with the job, one per request series (an unusable one as an empty placeholder, so indices stay
    /// those of the request for the kernel's checks); null when the list itself is missing or too long.
    /// </summary>
    internal static List<StoredSeries>? ValidateSeries(IReadOnlyList<SeriesInput>? series, TrainingQueueOptions limits, ValidationErrors errors)
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

        // Counted before anything is copied: over the limit, the values are not copied at all (16 bytes a value).
        var counted = series.Sum(s => (long)(s?.Values?.Count ?? 0) + (s?.Covariates?.Values.Sum(c => (long)(c?.Count ?? 0)) ?? 0));
        if (counted > limits.MaxTotalPoints)
        {
            errors.Add("series", $"At most {limits.MaxTotalPoints} values in all series and their covariates (TrainingQueue:MaxTotalPoints); got {counted}.");
            return null;
        }
        var result = new List<StoredSeries>(series.Count);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i] is not { } input)
            {
                // A null entry is no series: named itself, not by a values field it does not have.
                errors.Add($"series[{i}]", "Must be a series object ({\"values\": [...]}), not null.");
                result.Add(new StoredSeries(null, []));
                continue;
            }
            SeriesIds.Check(input.Id, $"series[{i}].id", i, ids, errors);
            var field = $"series[{i}].values";
            var values = input.Values;
            if (values is null || values.Count == 0)
            {
                errors.Add(field, "Required: a non-empty array of numbers (null marks a missing value).");
                result.Add(new StoredSeries(input.Id, []));
                continue;
            }
            if (values.Count > limits.MaxPointsPerSeries)
            {
                errors.Add(field, $"At most {limits.MaxPointsPerSeries} values per series (TrainingQueue:MaxPointsPerSeries); got {values.Count}.");
                result.Add(new StoredSeries(input.Id, []));
                continue;
            }

            var copy = CopyValues(values, field, errors);
            var covariates = ValidateCovariates(input.Covariates, i, errors);
            result.Add(new StoredSeries(input.Id, copy, covariates));
        }
        return result;
    }

    private static double?[] CopyValues(IReadOnlyList<double?> values, string field, ValidationErrors errors)
    {
        var copy = new double?[values.Count];
        for (var j = 0; j < values.Count; j++)
        {
            var v = values[j];
            if (v is null) continue;
            if (!double.IsFinite(v.Value)) errors.AddElement($"{field}[{j}]", ClientMessages.NotFinite, field);
            else if (Math.Abs(v.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            copy[j] = v;
        }
        return copy;
    }

    /// <summary>
    /// One series' covariates as JSON: at most <see cref="MaxCovariates"/>, names fit for field paths (series[0]'s), each an array of numbers
    /// or nulls (a null array is kept as an empty placeholder). Their alignment with the values and with series[0]'s names is the kernel's rule.
    /// </summary>
    private static Dictionary<string, double?[]>? ValidateCovariates(IReadOnlyDictionary<string, IReadOnlyList<double?>>? given, int i,
        ValidationErrors errors)
    {
        var field = $"series[{i}].covariates";
        if (given is null || given.Count == 0) return null;
        if (given.Count > MaxCovariates)
        {
            errors.Add(field, $"At most {MaxCovariates} covariates; got {given.Count}.");
            return null;
        }
        var result = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var name in given.Keys.Order(StringComparer.Ordinal))
        {
            // Series 0's names are the reference: the kernel names any other series whose names differ.
            if (i == 0 && CovariateNameProblem(name) is { } problem) errors.Add(field, problem);
            var path = $"{field}.{name}";
            var values = given[name];
            if (values is null)
            {
                errors.Add(path, "Required: an array of numbers (null marks a missing value), aligned with values.");
                result[name] = [];
                continue;
            }
            result[name] = CopyValues(values, path, errors);
        }
        return result;
    }
}

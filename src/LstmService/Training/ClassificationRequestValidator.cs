using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using LstmService.Registry;

namespace LstmService.Training;

/// <summary>
/// Checks a training request with task classification, as <see cref="TrainingRequestValidator"/> does a forecasting one: the
/// HTTP shape and the service's limits here, the rules about the data (labels, at least two classes, covariates alike,
/// class weights naming labels) from <see cref="ClassificationTrainer.Check"/>; every problem under its field's path.
/// Forecasting's own fields are refused rather than ignored, and a forecasting request may not carry a classification field.
/// </summary>
public static class ClassificationRequestValidator
{
    public const int MaxLabelLength = 100;

    public static TrainingJobSpec? Validate(TrainingRequest request, TrainingQueueOptions limits, ValidationErrors errors)
    {
        var defaults = new ClassificationOptions();
        foreach (var field in ForecastingFields(request)) errors.Add(field, "Only for forecasting; this job's task is classification.");
        TrainingRequestValidator.CheckNetworkFields(request, limits, errors);
        if (request.ValidationSplit is { } split && !Enum.IsDefined(split)) errors.Add("validationSplit", "Must be stratified or time.");
        var weights = ClassWeights(request.ClassWeights, errors);

        var options = defaults with
        {
            HiddenSize = request.HiddenSize ?? defaults.HiddenSize,
            Layers = request.Layers ?? defaults.Layers,
            Dropout = (float)(request.Dropout ?? defaults.Dropout),
            Peepholes = request.Peepholes ?? defaults.Peepholes,
            Cell = request.Cell ?? defaults.Cell,
            Epochs = request.Epochs ?? Math.Min(defaults.Epochs, limits.MaxEpochs),
            BatchSize = request.BatchSize ?? defaults.BatchSize,
            LearningRate = (float)(request.LearningRate ?? defaults.LearningRate),
            WeightDecay = (float)(request.WeightDecay ?? defaults.WeightDecay),
            ValidationFraction = (float)(request.ValidationFraction ?? defaults.ValidationFraction),
            Patience = request.Patience ?? defaults.Patience,
            Seed = request.Seed ?? defaults.Seed,
            Validation = request.ValidationSplit ?? defaults.Validation,
            ClassWeights = weights,
        };

        var stored = TrainingRequestValidator.ValidateSeries(request.Series, limits, errors);
        List<StoredSeries>? series = null;
        if (stored is not null)
        {
            series = stored.Select((s, i) => s with { Label = request.Series![i]?.Label }).ToList();
            for (var i = 0; i < series.Count; i++)
                if (series[i].Label is { } label && LabelProblem(label) is { } problem) errors.Add($"series[{i}].label", problem);
            AddKernelProblems(series, options, errors);
        }
        if (series is not null && errors.IsValid) CheckSize(options, series, limits, errors);

        var settings = new TrainingSettings
        {
            HiddenSize = options.HiddenSize, Layers = options.Layers, Dropout = options.Dropout, Peepholes = options.Peepholes, Cell = options.Cell,
            Epochs = options.Epochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, WeightDecay = options.WeightDecay,
            ClipNorm = options.ClipNorm, ValidationFraction = options.ValidationFraction, Patience = options.Patience, Seed = options.Seed,
            Task = ModelTask.Classification,
            Classification = new ClassificationSettings(options.Validation, weights),
        };
        return errors.IsValid && series is not null ? new TrainingJobSpec(settings, series) : null;
    }

    /// <summary>A forecasting request's classification fields, each an error (a label there would be silently ignored otherwise).</summary>
    public static void RejectClassificationFields(TrainingRequest request, ValidationErrors errors)
    {
        const string message = "Only for classification; set task to classification.";
        if (request.ValidationSplit is not null) errors.Add("validationSplit", message);
        if (request.ClassWeights is not null) errors.Add("classWeights", message);
        for (var i = 0; i < (request.Series?.Count ?? 0); i++)
            if (request.Series![i]?.Label is not null) errors.Add($"series[{i}].label", message);
    }

    /// <summary>A label: 1..100 characters, no control characters (it is a JSON key in the answers and the confusion matrix).</summary>
    internal static string? LabelProblem(string label) =>
        string.IsNullOrWhiteSpace(label) ? null // the kernel names an empty label as missing
        : label.Length > MaxLabelLength ? $"Labels have at most {MaxLabelLength} characters."
        : label.Any(char.IsControl) ? "Labels must not hold control characters."
        : null;

    private static IEnumerable<string> ForecastingFields(TrainingRequest r)
    {
        if (r.InputWindow is not null) yield return "inputWindow";
        if (r.Horizon is not null) yield return "horizon";
        if (r.Quantiles is not null) yield return "quantiles";
        if (r.Scaling is not null) yield return "scaling";
        if (r.SeasonLength is not null) yield return "seasonLength";
        if (r.Ensemble is not null) yield return "ensemble";
        if (r.Highway is not null) yield return "highway";
        if (r.Refit is not null) yield return "refit";
        if (r.Calibrate is not null) yield return "calibrate";
        if (r.Search is not null) yield return "search";
        if (r.SearchFolds is not null) yield return "searchFolds";
        if (r.Strategy is not null) yield return "strategy";
        if (r.FutureCovariates is not null) yield return "futureCovariates";
        if (r.Statistics is not null) yield return "statistics";
        if (r.Transform is not null) yield return "transform";
        if (r.NonNegative is not null) yield return "nonNegative";
        if (r.UpperBound is not null) yield return "upperBound";
        if (r.Frequency is not null) yield return "frequency";
        for (var i = 0; i < (r.Series?.Count ?? 0); i++)
        {
            if (r.Series![i]?.Start is not null) yield return $"series[{i}].start";
            if (r.Series![i]?.Timestamps is not null) yield return $"series[{i}].timestamps";
        }
    }

    private static Dictionary<string, float>? ClassWeights(IReadOnlyDictionary<string, double>? given, ValidationErrors errors)
    {
        if (given is null) return null;
        var result = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var (label, weight) in given)
        {
            if (!(double.IsFinite(weight) && weight > 0 && weight <= float.MaxValue)) errors.Add($"classWeights.{label}", $"Must be a positive number; got {weight}.");
            result[label] = (float)weight;
        }
        return result;
    }

    /// <summary>The kernel's checks, under their paths, except for a series field the service already named (or one inside it).</summary>
    private static void AddKernelProblems(List<StoredSeries> series, ClassificationOptions options, ValidationErrors errors)
    {
        var named = errors.Fields.ToList();
        if (!Enum.IsDefined(options.Cell)) return; // named above; the kernel's checks would name it again
        bool Named(string field) => named.Any(n => n == field || field.StartsWith(n + "[", StringComparison.Ordinal) || field.StartsWith(n + ".", StringComparison.Ordinal)
            || n.StartsWith(field + "[", StringComparison.Ordinal) || n.StartsWith(field + ".", StringComparison.Ordinal));
        foreach (var problem in ClassificationTrainer.Check(series.Select(s => s.ToClassificationSequence()).ToList(), options))
            if (!Named(problem.Field)) errors.Add(problem.Field, problem.Message);
    }

    /// <summary>
    /// The network against the parameter budget, and the job's memory against TrainingQueue:MaxJobMemoryBytes: parameters
    /// with gradients, Adam's moments and the best copy (5 copies), and a batch of the longest sequences through every
    /// layer (about 16 floats per unit and step, as <see cref="JobMemory"/> counts), plus the series themselves.
    /// </summary>
    private static void CheckSize(ClassificationOptions options, List<StoredSeries> series, TrainingQueueOptions limits, ValidationErrors errors)
    {
        int classes = series.Select(s => s.Label).Distinct(StringComparer.Ordinal).Count(), inputs = 1 + (series[0].Covariates?.Count ?? 0);
        var parameters = NetworkSize.Parameters(inputs, options.HiddenSize, options.Layers, classes, options.Peepholes, options.Cell);
        if (!NetworkSize.CheckBudget(parameters, limits.MaxNetworkParameters, "hiddenSize", $"The network ({options.Layers} layer(s) of {options.HiddenSize} units, {classes} classes)", errors))
            return;
        long longest = series.Max(s => s.Values.Length), points = series.Sum(s => (long)s.Values.Length * inputs);
        long bytes = sizeof(float) * (5 * parameters + (long)options.BatchSize * longest * (inputs + 16L * options.HiddenSize * options.Layers) + 4 * points);
        if (bytes > limits.MaxJobMemoryBytes)
            errors.Add("batchSize", $"The job would take about {bytes:N0} bytes (a batch of {options.BatchSize} sequences of up to {longest} steps); " +
                $"the limit is {limits.MaxJobMemoryBytes:N0} (TrainingQueue:MaxJobMemoryBytes). Use a smaller batchSize or hiddenSize, or shorter sequences.");
    }
}

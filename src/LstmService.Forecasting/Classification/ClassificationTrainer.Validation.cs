using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Classification;

// The checks Train makes before it starts, all problems at once, under the field paths a request names them by.
public static partial class ClassificationTrainer
{
    /// <summary>
    /// Every problem with the options and sequences (empty when training can start): options out of range, a sequence
    /// without values or label ("series[3].label"), covariates that differ from the first sequence's or from its length,
    /// fewer than two classes, class weights naming no class or not positive.
    /// </summary>
    public static IReadOnlyList<TrainingProblem> Check(IReadOnlyList<ClassificationSequence> sequences, ClassificationOptions options)
    {
        var problems = new List<TrainingProblem>();
        void Bound(string field, bool ok, string rule, object value)
        {
            if (!ok) problems.Add(new TrainingProblem(field, $"Must be {rule}; got {value}.", value));
        }
        Bound("hiddenSize", options.HiddenSize is >= 1 and <= Kernels.LstmConfig.MaxWidth, $"in 1..{Kernels.LstmConfig.MaxWidth}", options.HiddenSize);
        Bound("layers", options.Layers is >= 1 and <= Kernels.LstmConfig.MaxLayers, $"in 1..{Kernels.LstmConfig.MaxLayers}", options.Layers);
        Bound("dropout", options.Dropout is >= 0f and < 1f, "in [0, 1)", options.Dropout);
        Bound("epochs", options.Epochs >= 1, "at least 1", options.Epochs);
        Bound("batchSize", options.BatchSize >= 1, "at least 1", options.BatchSize);
        Bound("learningRate", options.LearningRate is > 0f and <= 1f, "in (0, 1]", options.LearningRate);
        Bound("weightDecay", options.WeightDecay is >= 0f and < 1f, "in [0, 1)", options.WeightDecay);
        Bound("clipNorm", options.ClipNorm > 0f, "positive", options.ClipNorm);
        Bound("validationFraction", options.ValidationFraction is >= 0f and <= 0.5f, "in [0, 0.5]", options.ValidationFraction);
        Bound("patience", options.Patience >= 1, "at least 1", options.Patience);
        if (!Enum.IsDefined(options.Validation)) problems.Add(new TrainingProblem("validationSplit", "Must be stratified or time."));
        if (!Enum.IsDefined(options.Cell)) problems.Add(new TrainingProblem("cell", "Must be lstm or gru."));
        if (options.Cell == Kernels.RecurrentCell.Gru && options.Peepholes)
            problems.Add(new TrainingProblem("peepholes", "A GRU has no cell state for peepholes to read: use peepholes only with cell lstm.", options.Peepholes));

        if (sequences.Count < 2)
        {
            problems.Add(new TrainingProblem("series", $"Classification needs at least 2 labelled sequences; got {sequences.Count}."));
            return problems;
        }
        var reference = sequences[0].Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        var labels = new HashSet<string>(StringComparer.Ordinal);
        int unlabelled = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            if (s.Values is not { Length: > 0 }) problems.Add(new TrainingProblem($"series[{i}].values", "A sequence needs at least one value."));
            // As classify refuses such a sequence: it would teach the class from the filler alone.
            else if (s.Values.All(float.IsNaN)) problems.Add(new TrainingProblem($"series[{i}].values", "Every value is missing: at least one must be observed."));
            if (string.IsNullOrWhiteSpace(s.Label))
            {
                problems.Add(new TrainingProblem($"series[{i}].label", "Required for classification: the sequence's class."));
                unlabelled++;
            }
            else labels.Add(s.Label);
            var names = s.Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
            if (!names.SequenceEqual(reference))
            {
                problems.Add(new TrainingProblem($"series[{i}].covariates",
                    $"Every sequence needs the covariates of series[0] ({(reference.Length == 0 ? "none" : string.Join(", ", reference))}); got {(names.Length == 0 ? "none" : string.Join(", ", names))}."));
                continue;
            }
            foreach (var name in names)
                if (s.Covariates![name].Length != (s.Values?.Length ?? 0))
                    problems.Add(new TrainingProblem($"series[{i}].covariates.{name}", $"Has {s.Covariates[name].Length} values; the sequence has {s.Values?.Length ?? 0}."));
        }
        // Counted over the labelled sequences alone, and said so: "every sequence is labelled 'down'" had come beside an
        // error naming a sequence without a label (a QA pass).
        if (labels.Count is > 0 and < 2)
            problems.Add(new TrainingProblem("series", unlabelled == 0
                ? $"Classification needs at least 2 classes; every sequence is labelled '{labels.First()}'."
                : $"Classification needs at least 2 classes; every labelled sequence is labelled '{labels.First()}' ({unlabelled} {(unlabelled == 1 ? "has" : "have")} no label)."));
        if (labels.Count > ClassificationOptions.MaxClasses)
            problems.Add(new TrainingProblem("series", $"At most {ClassificationOptions.MaxClasses} classes; got {labels.Count}."));
        if (options.ClassWeights is { } weights)
            foreach (var (label, weight) in weights)
            {
                if (labels.Count > 0 && !labels.Contains(label))
                    problems.Add(new TrainingProblem($"classWeights.{label}", "No sequence has this label."));
                if (!(float.IsFinite(weight) && weight > 0))
                    problems.Add(new TrainingProblem($"classWeights.{label}", $"Must be a positive number; got {weight}."));
            }
        return problems;
    }
}

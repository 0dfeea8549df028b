using LstmService.Infrastructure;
using LstmService.Kernels.Forecasting;

namespace LstmService.Training;

/// <summary>
/// Checks a training request against sane bounds and the configured limits and resolves omitted fields to the
/// kernel's defaults. Every problem is reported under the field's JSON path so clients can fix all at once.
/// </summary>
public static class TrainingRequestValidator
{
    public const int MaxInputWindow = 1024, MaxHorizon = 365, MaxHiddenSize = 1024, MaxLayers = 8, MaxBatchSize = 4096, MaxPatience = 1000, MaxQuantiles = 32;

    public static TrainingJobSpec? Validate(TrainingRequest request, TrainingQueueOptions limits, ValidationErrors errors)
    {
        var defaults = new TrainingOptions();
        errors.Range("inputWindow", request.InputWindow, 1, MaxInputWindow);
        errors.Range("horizon", request.Horizon, 1, MaxHorizon);
        errors.Range("hiddenSize", request.HiddenSize, 1, MaxHiddenSize);
        errors.Range("layers", request.Layers, 1, MaxLayers);
        errors.Range("epochs", request.Epochs, 1, limits.MaxEpochs);
        errors.Range("batchSize", request.BatchSize, 1, MaxBatchSize);
        errors.Range("patience", request.Patience, 1, MaxPatience);
        if (request.Dropout is { } dropout && !(dropout >= 0 && dropout < 1)) errors.Add("dropout", $"Must be in [0, 1); got {dropout}.");
        if (request.LearningRate is { } lr && !(lr > 0 && lr <= 1)) errors.Add("learningRate", $"Must be in (0, 1]; got {lr}.");
        if (request.WeightDecay is { } wd && !(wd >= 0 && wd < 1)) errors.Add("weightDecay", $"Must be in [0, 1); got {wd}.");
        if (request.ValidationFraction is { } vf && !(vf >= 0 && vf <= 0.5)) errors.Add("validationFraction", $"Must be in [0, 0.5]; got {vf}.");
        if (request.Scaling is { } scaling && !Enum.IsDefined(scaling)) errors.Add("scaling", "Must be windowLevel, seriesZScore or seriesRobust.");
        var quantiles = ValidateQuantiles(request.Quantiles, errors) ?? defaults.Quantiles;

        var settings = new TrainingSettings(
            InputWindow: request.InputWindow ?? defaults.InputWindow,
            Horizon: request.Horizon ?? defaults.Horizon,
            HiddenSize: request.HiddenSize ?? defaults.HiddenSize,
            Layers: request.Layers ?? defaults.Layers,
            Dropout: (float)(request.Dropout ?? defaults.Dropout),
            Peepholes: request.Peepholes ?? defaults.Peepholes,
            Epochs: request.Epochs ?? Math.Min(defaults.Epochs, limits.MaxEpochs),
            BatchSize: request.BatchSize ?? defaults.BatchSize,
            LearningRate: (float)(request.LearningRate ?? defaults.LearningRate),
            WeightDecay: (float)(request.WeightDecay ?? defaults.WeightDecay),
            ClipNorm: defaults.ClipNorm,
            ValidationFraction: (float)(request.ValidationFraction ?? defaults.ValidationFraction),
            Patience: request.Patience ?? defaults.Patience,
            Seed: request.Seed ?? defaults.Seed,
            Quantiles: quantiles.Order().ToArray(),
            Scaling: request.Scaling ?? defaults.Scaling);

        var series = ValidateSeries(request.Series, settings, limits, errors);
        return errors.IsValid && series is not null ? new TrainingJobSpec(settings, series) : null;
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

        var needed = settings.InputWindow + settings.Horizon;
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

            var copy = new double?[values.Count];
            var missing = 0;
            for (var j = 0; j < values.Count; j++)
            {
                var v = values[j];
                if (v is null) { missing++; continue; }
                if (!double.IsFinite(v.Value)) errors.AddElement($"{field}[{j}]", "NaN/Infinity is not allowed; use null for a missing value.", field);
                else if (Math.Abs(v.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
                copy[j] = v;
            }
            var observed = values.Count - missing;
            if (observed < needed)
                errors.Add(field, $"Too short: {observed} observed values, but inputWindow + horizon = {settings.InputWindow} + {settings.Horizon} = {needed} are needed.");
            else if (missing * 2 > values.Count)
                errors.Add(field, $"Mostly missing: {missing} of {values.Count} values are null.");
            result.Add(new StoredSeries(series[i]!.Id, copy));
        }
        if (total > limits.MaxTotalPoints)
            errors.Add("series", $"At most {limits.MaxTotalPoints} values in all series (TrainingQueue:MaxTotalPoints); got {total}.");
        return result;
    }
}

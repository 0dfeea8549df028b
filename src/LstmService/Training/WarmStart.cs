using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;

namespace LstmService.Training;

/// <summary>
/// A training request with <c>initFrom</c>: the new version fine-tunes the parent's network on the new data. What the network
/// is (inputWindow, horizon, hiddenSize, layers, peepholes, ensemble, quantiles, strategy, scaling, highway, statistics,
/// transform, covariates and futureCovariates) is the parent's: a field left out is inherited, one given with another value
/// is a 400 under initFrom.version. The recipe (learning rate, batch size, dropout, weight decay, patience, validation
/// fraction, seed, season length, refit, calibrate, nonNegative, upperBound) is inherited too unless given. Epochs default to
/// <see cref="DefaultEpochs"/>: a fine-tune, not a training from scratch.
/// </summary>
public static class WarmStart
{
    public const string Field = "initFrom.version";

    /// <summary>Epochs of a warm start when the request gives none (a cold start's default is 200).</summary>
    public const int DefaultEpochs = 20;

    /// <summary>The parent version, and the request with the parent's settings in place of what it left out; null parent without initFrom or when it is unusable (errors added).</summary>
    public static VersionRecord? Resolve(string model, ref TrainingRequest request, ModelRegistry registry, TrainingQueueOptions limits, ValidationErrors errors)
    {
        if (request.InitFrom is not { } init) return null;
        if (init.Version is not { } number)
        {
            errors.Add(Field, "Required: the version of this model to start from.");
            return null;
        }
        if (number < 1)
        {
            errors.Add(Field, UnmatchedRequestProblems.VersionRule(number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return null;
        }
        var parent = registry.GetModel(model) is null ? null : registry.GetVersion(model, number);
        if (parent is null)
        {
            errors.Add(Field, $"Model '{model}' has no version {number} to start from.");
            return null;
        }
        if (registry.UnavailableReason(model, number) is { } reason)
        {
            errors.Add(Field, $"Version {number} of model '{model}' cannot be loaded: {reason}.");
            return null;
        }
        if (request.Task == ModelTask.Classification || parent.Architecture.Task == ModelTask.Classification)
        {
            errors.Add(Field, "A warm start fine-tunes a forecasting version into a forecasting version; a classifier trains from scratch.");
            return null;
        }
        // A registered ensemble fine-tuned outside the service may no longer be block-diagonal: it forecasts as one network,
        // but a warm start splits it into its members, and the job had failed once queued.
        if (parent.Architecture.EnsembleSize > 1 && registry.GetForecaster(parent).Model is { } loaded && !Ensemble.IsBlockDiagonal(loaded.Network, loaded.EnsembleSize))
        {
            errors.Add(Field, $"Version {number}'s network is not the {loaded.EnsembleSize} separate members its ensembleSize says (weights join them outside the "
                + $"diagonal blocks, as a fine-tune outside the service leaves them): it forecasts as one network, but a warm start continues each member. "
                + "Train from scratch, or register the weights again with ensemble 1.");
            return null;
        }
        if (request.Search == true) errors.Add("search", "A warm start keeps the parent's architecture: leave search off.");
        // A version registered with a window of one value (a state_dict upload allows it) cannot be trained on: the trainer
        // needs two.
        if (parent.InputWindow < 2)
        {
            errors.Add(Field, $"Version {number} reads {parent.InputWindow} value per forecast; training needs a window of at least 2.");
            return null;
        }

        var arch = parent.Architecture;
        var s = parent.Training ?? new TrainingSettings();
        var conflicts = new List<string>();
        T Keep<T>(string name, T? given, T inherited, Func<T, T, bool>? same = null) where T : struct
        {
            if (given is { } g && !(same?.Invoke(g, inherited) ?? EqualityComparer<T>.Default.Equals(g, inherited)))
                conflicts.Add($"{name} {Show(g)} (version {number} has {Show(inherited)})");
            return inherited;
        }
        var quantiles = request.Quantiles is { } q && !q.Select(x => (float)x).Order().SequenceEqual(parent.Quantiles.Order())
            ? AddConflict(conflicts, $"quantiles [{string.Join(", ", q)}] (version {number} has [{string.Join(", ", parent.Quantiles)}])", parent.Quantiles)
            : parent.Quantiles;
        var future = request.FutureCovariates is { } f && !f.Order(StringComparer.Ordinal).SequenceEqual(arch.FutureCovariates.Order(StringComparer.Ordinal))
            ? AddConflict(conflicts, $"futureCovariates [{string.Join(", ", f)}] (version {number} has [{string.Join(", ", arch.FutureCovariates)}])", arch.FutureCovariates)
            : arch.FutureCovariates;

        var inherited = request with
        {
            // 0 asks for a window chosen from the data, which a warm start cannot: it is the parent's.
            InputWindow = Keep("inputWindow", request.InputWindow is 0 ? null : request.InputWindow, parent.InputWindow),
            Horizon = Keep("horizon", request.Horizon, parent.Horizon),
            Cell = Keep("cell", request.Cell, arch.Cell),
            HiddenSize = Keep("hiddenSize", request.HiddenSize, arch.HiddenSize),
            Layers = Keep("layers", request.Layers, arch.Layers),
            Peepholes = Keep("peepholes", request.Peepholes, arch.Peepholes),
            Ensemble = Keep("ensemble", request.Ensemble, arch.EnsembleSize),
            Strategy = Keep("strategy", request.Strategy, arch.Strategy),
            Scaling = Keep("scaling", request.Scaling, parent.Scaling),
            Highway = Keep("highway", request.Highway, parent.Training?.Highway ?? arch.Highway is not null),
            Statistics = Keep("statistics", request.Statistics, parent.Training?.Statistics ?? arch.Statistics is not null),
            Transform = Keep("transform", request.Transform, arch.Transform),
            Quantiles = quantiles.Select(x => (double)x).ToArray(),
            FutureCovariates = future.ToArray(),
            Epochs = request.Epochs ?? Math.Min(DefaultEpochs, limits.MaxEpochs),
            // A one-layer parent's dropout (stored before a request could no longer ask for it) acts nowhere: not inherited.
            Dropout = request.Dropout ?? (arch.Layers > 1 ? s.Dropout : 0),
            BatchSize = request.BatchSize ?? s.BatchSize,
            LearningRate = request.LearningRate ?? s.LearningRate,
            WeightDecay = request.WeightDecay ?? s.WeightDecay,
            ValidationFraction = request.ValidationFraction ?? s.ValidationFraction,
            Patience = request.Patience ?? s.Patience,
            Seed = request.Seed ?? s.Seed,
            SeasonLength = request.SeasonLength ?? s.SeasonLength,
            Refit = request.Refit ?? s.Refit,
            Calibrate = request.Calibrate ?? s.Calibrate,
            NonNegative = request.NonNegative ?? s.NonNegative,
            UpperBound = request.UpperBound ?? s.UpperBound,
        };
        // An inherited bound the new values pass is named as the parent's (the kernel's own message would not say where the
        // bound came from), before the kernel names the same value.
        if (request.UpperBound is null && s.UpperBound is { } bound)
            for (var i = 0; i < (request.Series?.Count ?? 0); i++)
                if (request.Series![i]?.Values is { } values && values.ToList().FindIndex(v => v > bound) is var above and >= 0)
                    errors.Add($"series[{i}].values[{above}]", $"{values[above]!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is above upperBound {bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}, " +
                        $"which version {number} was trained with and a warm start inherits: give another upperBound, or train without initFrom to drop it.");

        // Covariates come with the series: the same names as the parent's (each series' own are checked by the validator).
        var names = request.Series?.FirstOrDefault()?.Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        if (!names.SequenceEqual(arch.Covariates.Order(StringComparer.Ordinal)))
            conflicts.Add($"covariates [{string.Join(", ", names)}] (version {number} reads [{string.Join(", ", arch.Covariates)}])");
        if (conflicts.Count > 0)
        {
            errors.Add(Field, $"Version {number} has another architecture: this request asks for {string.Join("; ", conflicts)}. " +
                "A warm start keeps the parent's architecture: leave those fields out to inherit them, or train without initFrom.");
            return null;
        }
        request = inherited;
        return parent;
    }

    /// <summary>The training options of a warm-started job: the parent's loaded network as the members' initial weights.</summary>
    public static TrainingOptions Options(TrainingSettings settings, string model, ModelRegistry registry)
    {
        var options = settings.ToOptions();
        if (settings.ParentVersion is not { } number) return options;
        // Gone or unloadable since the job was queued: the job fails naming the field, like a request refused at submit.
        var parent = registry.GetVersion(model, number)
            ?? throw new ArgumentException($"Version {number} of model '{model}' no longer exists: nothing to start from.", Field);
        var (loaded, error) = registry.GetForecaster(parent);
        if (loaded is null) throw new ArgumentException($"Version {number} of model '{model}' cannot be loaded: {error}.", Field);
        return options with { InitialWeights = loaded.Network };
    }

    private static IReadOnlyList<T> AddConflict<T>(List<string> conflicts, string text, IReadOnlyList<T> inherited)
    {
        conflicts.Add(text);
        return inherited;
    }

    private static string Show<T>(T value) => value switch
    {
        bool b => b ? "true" : "false",
        Enum e => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}

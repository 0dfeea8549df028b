using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Training;

/// <summary>
/// The optional small search (<see cref="TrainingOptions.Search"/>): a fixed list of candidates around the request
/// (as given, twice the hidden size, two layers, a third of the learning rate, twice the window) is trained with the
/// validation part held out, and the one with the lowest best validation loss is trained again with the full recipe
/// (calibration, refit). Deterministic: candidates and their seeds derive from the request only. Progress is reported
/// for the final training only.
/// </summary>
internal static class HyperparameterSearch
{
    public static TrainingResult Run(SeriesSet set, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken ct)
    {
        var baseline = options with { Search = false };
        if (!set.HasValidation) return ForecastTrainer.TrainPrepared(set, baseline, progress, ct);
        var candidates = Candidates(set, baseline);
        var scored = new List<SearchCandidate>();
        foreach (var (name, candidate) in candidates)
        {
            ct.ThrowIfCancellationRequested();
            double loss;
            try
            {
                var trial = ForecastTrainer.TrainPrepared(set, candidate with { Refit = false, Calibrate = false }, null, ct);
                loss = trial.BestEpoch > 0 ? trial.ValidationLosses[trial.BestEpoch - 1] : double.PositiveInfinity;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                loss = double.PositiveInfinity; // e.g. a window too long for the data, or a diverged learning rate
            }
            scored.Add(new SearchCandidate(name, candidate, double.IsFinite(loss) ? loss : double.PositiveInfinity, false));
        }
        int best = 0;
        for (int i = 1; i < scored.Count; i++) if (scored[i].ValidationLoss < scored[best].ValidationLoss) best = i;
        scored[best] = scored[best] with { Chosen = true };
        var result = ForecastTrainer.TrainPrepared(set, scored[best].Options, progress, ct);
        return result with { Search = scored };
    }

    static List<(string Name, TrainingOptions Options)> Candidates(SeriesSet set, TrainingOptions o)
    {
        var list = new List<(string, TrainingOptions)> { ("as requested", o) };
        // 1024 is the service's cap on hiddenSize: the search must not train (and store) a network wider than a request may ask for.
        if (o.HiddenSize * 2 <= 1024 && o.HiddenSize * 2 * o.Ensemble <= LstmConfig.MaxWidth) list.Add(($"hiddenSize {o.HiddenSize * 2}", o with { HiddenSize = o.HiddenSize * 2 }));
        if (o.Layers < LstmConfig.MaxLayers) list.Add(($"layers {o.Layers + 1}", o with { Layers = o.Layers + 1 }));
        list.Add(($"learningRate {o.LearningRate / 3:G3}", o with { LearningRate = o.LearningRate / 3 }));
        var seasons = ForecastTrainer.Seasons(set, o);
        int season = seasons.Count > 0 ? seasons[0] : set.DetectSeason();
        var (window, _) = ForecastTrainer.ChooseWindow(set, set.Statistics(o.Scaling, true), o, seasons.Count > 0 ? seasons[^1] : season, season);
        int longer = Math.Min(2 * window, 1024);
        if (longer > window && set.ValidationStart.All(v => v >= longer + 2 * o.Horizon))
            list.Add(($"inputWindow {longer}", o with { InputWindow = longer, SeasonLength = season }));
        return list;
    }
}

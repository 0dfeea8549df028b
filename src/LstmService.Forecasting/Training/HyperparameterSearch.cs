using LstmService.Forecasting.Series;
using LstmService.Kernels;

namespace LstmService.Forecasting.Training;

/// <summary>
/// The optional small search (<see cref="TrainingOptions.Search"/>): a fixed list of candidates around the request (as
/// given, the other cell, twice the hidden size, one more layer, a third of the learning rate, twice the window) is
/// scored by rolling-origin cross-validation over <see cref="TrainingOptions.SearchFolds"/> folds in time, and the one
/// whose forecasts (mixed as a version mixes them) have the lowest mean validation MASE is trained again with the full recipe (calibration, refit). Fold f of k validates
/// on the block of each series' validation length that ends k - 1 - f blocks before the series' end and trains on what
/// precedes the block only (<see cref="SeriesSet.Fold"/>; its season, transform and clamping are chosen from that part
/// too), so no fold sees data after its boundary; the last fold is the plain validation split. Deterministic: candidates
/// and their seeds derive from the request only. Progress is reported for the final training only.
/// </summary>
internal static class HyperparameterSearch
{
    /// <param name="options">The request with the clamping resolved on all the data (what the final training uses).</param>
    /// <param name="nonNegativeRequested">The request's own nonNegative (null: each fold decides from its training part).</param>
    public static TrainingResult Run(SeriesSet set, TrainingOptions options, bool? nonNegativeRequested, Action<EpochProgress>? progress, CancellationToken ct)
    {
        var baseline = options with { Search = false };
        if (!set.HasValidation) return ForecastTrainer.TrainPrepared(set, baseline, progress, ct);
        var folds = Folds(set, options.SearchFolds, options.Horizon, Math.Max(options.InputWindow, 2) + options.Horizon);
        var foldSets = folds.Select(f => f is null ? null : Prepare(set, f.Value.Ends, f.Value.ValidationStarts, options)).ToArray();
        var candidates = Candidates(set, baseline, folds);
        var table = new List<double[]>();
        var maseTable = new List<double[]>();
        foreach (var (name, candidate) in candidates)
        {
            var losses = new double[folds.Count];
            var mase = new double[folds.Count];
            for (int f = 0; f < folds.Count; f++)
            {
                ct.ThrowIfCancellationRequested();
                if (foldSets[f] is not { } fold) { losses[f] = mase[f] = double.NaN; continue; }
                try
                {
                    var trial = ForecastTrainer.TrainPrepared(fold, candidate with { Refit = false, Calibrate = false, Trial = true, NonNegative = FoldNonNegative(fold, options, nonNegativeRequested) }, null, ct);
                    losses[f] = trial.BestEpoch > 0 ? trial.KeptValidationLoss : double.PositiveInfinity;
                    mase[f] = trial.BestEpoch > 0 ? trial.Metrics.Model.Mase : double.PositiveInfinity;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    losses[f] = mase[f] = double.PositiveInfinity; // e.g. a window too long for the fold's data, or a diverged learning rate
                }
                if (!double.IsFinite(losses[f])) losses[f] = double.PositiveInfinity;
                if (!double.IsFinite(mase[f])) mase[f] = double.PositiveInfinity;
            }
            table.Add(losses);
            maseTable.Add(mase);
        }
        // A fold no candidate could be trained on (too little data before its block for any window), or whose forecasts none
        // could score (a backtest with no origin at the whole horizon), tells them nothing apart.
        foreach (var scores in new[] { table, maseTable })
            for (int f = 0; f < folds.Count; f++)
                if (scores.All(l => double.IsPositiveInfinity(l[f])))
                    foreach (var l in scores) l[f] = double.NaN;
        var scored = new List<SearchCandidate>();
        for (int c = 0; c < candidates.Count; c++)
            scored.Add(new SearchCandidate(candidates[c].Name, candidates[c].Options, Mean(table[c]), false, table[c], Mean(maseTable[c]), maseTable[c]));
        // Chosen by the error of the forecast mixed as a version mixes it, not by the network's own loss: where the mix gives the
        // network no weight, or a short series silences it, the candidates that change the network alone forecast alike and
        // the request's own stands (a QA pass saw hiddenSize 64 chosen, two minutes spent, and a forecast identical to the bit).
        // Where no candidate's forecasts could be scored on every fold it trained on, the network's loss is all there is.
        Func<SearchCandidate, double> score = scored.Any(c => double.IsFinite(c.ValidationMase)) ? c => c.ValidationMase : c => c.ValidationLoss;
        int best = 0;
        for (int i = 1; i < scored.Count; i++) if (score(scored[i]) < score(scored[best])) best = i;
        scored[best] = scored[best] with { Chosen = true };
        var result = ForecastTrainer.TrainPrepared(set, scored[best].Options, progress, ct);
        return result with { Search = scored };
    }

    /// <summary>The mean over the folds that count (NaN: left out); +∞ when a fold could not be trained, or none counts.</summary>
    static double Mean(double[] perFold)
    {
        var used = perFold.Where(l => !double.IsNaN(l)).ToArray();
        return used.Length == 0 || used.Any(double.IsPositiveInfinity) ? double.PositiveInfinity : used.Average();
    }

    /// <summary>
    /// The folds' boundaries: per fold, each series' end (exclusive) and where its validation block starts (equal to the end
    /// when the series only trains in that fold: it has no validation part, or the fold leaves too little before the block).
    /// A fold in which no series validates is null. Blocks have the series' validation length (the horizon for a series
    /// without one) and follow each other: fold f's block ends where fold f + 1's starts, the last fold's at the series' end.
    /// </summary>
    internal static List<(int[] Ends, int[] ValidationStarts)?> Folds(SeriesSet set, int folds, int horizon, int minimum)
    {
        var list = new List<(int[], int[])?>();
        for (int f = 0; f < folds; f++)
        {
            int back = folds - 1 - f;
            var ends = new int[set.Count]; var starts = new int[set.Count];
            bool validates = false;
            for (int i = 0; i < set.Count; i++)
            {
                int n = set.Raw[i].Length, v = n - set.ValidationStart[i], end = n - back * (v > 0 ? v : horizon);
                // As SeriesSet.Prepare: the training part needs a few windows before a validation block is worth holding out.
                if (v > 0 && end - v >= minimum + horizon) { ends[i] = end; starts[i] = end - v; validates = true; }
                else ends[i] = starts[i] = Math.Min(n, Math.Max(end, minimum + horizon));
            }
            list.Add(validates ? (ends, starts) : null);
        }
        return list;
    }

    /// <summary>A fold's series on the scale its own training part prefers, its gaps filled along its season (as the trainer prepares a set).</summary>
    static SeriesSet Prepare(SeriesSet set, int[] ends, int[] starts, TrainingOptions options)
    {
        var fold = set.Fold(ends, starts);
        return ForecastTrainer.Prepared(fold, options, ForecastTrainer.Seasons(fold, options));
    }

    /// <summary>The request's clamping, or (not requested) whether the fold's training part never went negative.</summary>
    static bool? FoldNonNegative(SeriesSet fold, TrainingOptions options, bool? requested) =>
        requested ?? (fold.Original ?? fold.Raw).Select((r, i) => r.AsSpan(0, fold.ValidationStart[i]).ToArray()).All(v => !v.Any(x => x < 0));

    static List<(string Name, TrainingOptions Options)> Candidates(SeriesSet set, TrainingOptions o, List<(int[] Ends, int[] ValidationStarts)?> folds)
    {
        var list = new List<(string, TrainingOptions)> { ("as requested", o) };
        // The other cell, peepholes off for a GRU (it has none).
        list.Add(o.Cell == RecurrentCell.Lstm ? ("cell gru", o with { Cell = RecurrentCell.Gru, Peepholes = false }) : ("cell lstm", o with { Cell = RecurrentCell.Lstm }));
        // 1024 is the service's cap on hiddenSize: the search must not train (and store) a network wider than a request may ask for.
        if (o.HiddenSize * 2 <= 1024 && o.HiddenSize * 2 * o.Ensemble <= LstmConfig.MaxWidth) list.Add(($"hiddenSize {o.HiddenSize * 2}", o with { HiddenSize = o.HiddenSize * 2 }));
        if (o.Layers < LstmConfig.MaxLayers) list.Add(($"layers {o.Layers + 1}", o with { Layers = o.Layers + 1 }));
        list.Add(($"learningRate {o.LearningRate / 3:G3}", o with { LearningRate = o.LearningRate / 3 }));
        var seasons = ForecastTrainer.Seasons(set, o);
        int season = ForecastTrainer.WindowSeason(set, o, seasons);
        var (window, _) = ForecastTrainer.ChooseWindow(set, set.Statistics(o.Scaling, true), o, seasons.Count > 0 ? seasons[^1] : season, season);
        int longer = Math.Min(2 * window, 1024);
        // Every fold must leave the longer window room to train before its block.
        bool fits = folds.All(f => f is not { } fold || fold.ValidationStarts.Select((v, i) => v == fold.Ends[i] || v >= longer + 2 * o.Horizon).All(ok => ok));
        if (longer > window && fits && set.ValidationStart.All(v => v >= longer + 2 * o.Horizon))
            // The season passed on is the one detected (none stays none: a given cycle would become the members' season and
            // the version's); the window is the longer one whatever the season.
            list.Add(($"inputWindow {longer}", o with { InputWindow = longer, SeasonLength = seasons.Count > 0 ? seasons[0] : o.SeasonLength }));
        return list;
    }
}

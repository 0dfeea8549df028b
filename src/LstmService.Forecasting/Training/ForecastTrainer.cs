using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

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
public static partial class ForecastTrainer
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
        series = series.Select(WithoutMissingEnds).ToList();
        // Cancellation (a cancel, a delete, shutdown or the job's time limit) is checked between every phase, not only
        // inside epochs: preparing a large job's data or its backtest can take longer than the shutdown timeout.
        cancellationToken.ThrowIfCancellationRequested();
        var set = SeriesSet.Prepare(series, options);
        // The known covariates' levels regressed out first: everything below reads the series less their effect.
        var levels = FitCovariateLevels(set, options);
        if (levels is null) return WithSeriesIds(TrainSet(set, options, progress, cancellationToken), series);
        var adjustment = new LevelAdjustment(levels, set.Raw[0], options.NonNegative ?? !set.Raw[0].Any(x => x < 0), Declared: options.NonNegative == true);
        set = SeriesSet.Prepare([new TrainingSeries(levels.Adjust(set.Raw[0], set.CovariatesRaw[0]), series[0].Covariates)], options);
        // What the rest of the model forecasts is the series less an effect, which may go below zero; the clamp is the series'.
        // An additive effect leaves the plain scale: a log scale of the series less it would refuse an ordinary later value
        // whose effect takes it to zero or below (a dry day's count of zero), a limit the caller cannot see. A multiplicative
        // one, chosen on the log scale, keeps it there: the series less it is positive exactly where the series is.
        options = options with { NonNegative = options.NonNegative == false ? false : null, Levels = adjustment,
            Transform = levels.Multiplicative ? SeriesTransform.Log : SeriesTransform.None };
        var result = TrainSet(set, options, progress, cancellationToken);
        return result with { Model = result.Model.WithCovariateLevels(levels, adjustment.NonNegative, declared: adjustment.Declared) };
    }

    /// <summary>
    /// A series from its first observed value to its last, its covariates alike (as it is when none is observed). Missing
    /// values before a series starts say nothing of it: a wide CSV's column for a shop opened later had been filled back with
    /// its first value, a flat stretch the members' initial states and the season's test read, and refused as mostly missing
    /// when the shop opened after the file's middle (<see cref="CheckSeries"/> now judges from the first observed value too).
    /// Nor do those after its last: carried forward from the last value, they had been the end the members' final states,
    /// the scale's choice and the refit read, and two missing months at the end of 62 of a rising season made its forecasts
    /// 3.7 too low on average, where noise of 5 leaves 5 of error (a QA pass; a forecast fills such a gap itself, from the
    /// model's own forecasts, <see cref="Models.ForecastModel"/>'s trailing gap).
    /// </summary>
    internal static TrainingSeries WithoutMissingEnds(TrainingSeries series)
    {
        int lead = Array.FindIndex(series.Values, v => !float.IsNaN(v));
        int end = Array.FindLastIndex(series.Values, v => !float.IsNaN(v)) + 1;
        if (lead < 0 || (lead == 0 && end == series.Values.Length)) return series;
        return series with { Values = series.Values[lead..end], Covariates = series.Covariates?.ToDictionary(kv => kv.Key, kv => kv.Value[lead..end], StringComparer.Ordinal) };
    }

    static TrainingResult TrainSet(SeriesSet set, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seasons = Seasons(set, options);
        cancellationToken.ThrowIfCancellationRequested();
        set = Prepared(set, options, seasons, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var nonNegativeRequested = options.NonNegative;
        options = options with { NonNegativeDeclared = nonNegativeRequested == true };
        if (options.NonNegative is null)
            options = options with { NonNegative = (set.Original ?? set.Raw).All(v => !v.Any(x => x < 0)) };
        var result = options.Search
            ? HyperparameterSearch.Run(set, options, nonNegativeRequested, progress, cancellationToken)
            : TrainPrepared(set, options, progress, cancellationToken);
        var model = options.NonNegativeDeclared ? result.Model.WithNonNegativeDeclared() : result.Model;
        return result with { Model = model.WithUpperBound(options.UpperBound) };
    }

    /// <summary>
    /// <paramref name="set"/> on the scale its training part prefers (<see cref="ChooseTransform"/>), its inner gaps filled along
    /// its first season (<see cref="SeriesSet.WithSeasonalFill"/>) rather than drawn straight. The fill stays only where the
    /// series so filled still show that season first, so the model is trained along the season it was filled along.
    /// </summary>
    internal static SeriesSet Prepared(SeriesSet set, TrainingOptions options, IReadOnlyList<int> seasons, CancellationToken cancellationToken = default)
    {
        set = set.WithTransform(ChooseTransform(set, options, seasons, cancellationToken));
        if (seasons.Count == 0) return set;
        var filled = set.WithSeasonalFill(seasons[0]);
        if (ReferenceEquals(filled, set)) return set;
        cancellationToken.ThrowIfCancellationRequested();
        return Seasons(filled, options) is { Count: > 0 } again && again[0] == seasons[0] ? filled : set;
    }

    /// <summary>
    /// Training windows below which a network that corrects the classical members is silenced (its correction scaled by 0,
    /// so its member forecasts their mean): the short-series shrinkage toward the classical components.
    /// </summary>
    public const int MinimumNetworkWindows = 200;

    /// <summary>
    /// The calibration offsets are in units of the training part's scale (the validation windows were encoded with it), a
    /// forecast's in units of its history's. Where the training part moved less than <see cref="DegenerateScaleRatio"/> of
    /// what the whole series moves (a flat history, then a jump in the validation part) the jump's residual, in units of a
    /// scale at its floor, had set offsets of tens of thousands of units: 39 fives and a 50 got a 0.9 quantile of 783,700
    /// one step on. There the offsets are converted to the whole series' units; elsewhere the two scales are alike and the
    /// offsets stay as calibrated (converting them everywhere moved the three suites' coverage 0.849 / 0.795 / 0.758 to
    /// 0.850 / 0.800 / 0.752, no better).
    /// </summary>
    internal static ForecastModel InUnitsOfTheWholeSeries(ForecastModel model, float[] calibration, float trainingScale, float wholeScale)
    {
        float ratio = trainingScale / wholeScale;
        return ratio is > 0 and < DegenerateScaleRatio ? model.WithCalibration(Array.ConvertAll(calibration, o => o * ratio)) : model;
    }

    internal const float DegenerateScaleRatio = 0.1f;

    /// <summary>
    /// What the classical members are fitted on (and the scale chosen by): each series' gap-filled part without its spikes
    /// (<see cref="OutlyingSteps.WithoutSpikes"/>, judged on the first season's differences). One glitch in the middle of a seasonal series had set the smoothing's
    /// shape and seasonal parameters: UKgas with one value ten mean steps off went from 1.339 to 4.619, USAccDeaths from 0.414
    /// to 1.475. The network, the weights and the intervals read the series as given.
    /// </summary>
    internal static List<double[]> FittedParts(SeriesSet set, bool heldOut, IReadOnlyList<int> seasons) =>
        set.FilledParts(heldOut).Select(y => WithoutSpikes(y, set, seasons)).ToList();

    /// <summary>One of <paramref name="set"/>'s (gap-filled) series without its spikes at the first of <paramref name="seasons"/> (1 without one).</summary>
    internal static double[] WithoutSpikes(double[] y, SeriesSet set, IReadOnlyList<int> seasons)
    {
        int period = seasons.Count > 0 ? seasons[0] : 1;
        bool relative = StepsRelative(set);
        return OutlyingSteps.WithoutEdgePeriodSpikes(OutlyingSteps.WithoutSpikes(y, period, relative), period, relative);
    }

    /// <summary><paramref name="ensemble"/> with its step limit in the first series' mean absolute step, under window-level scaling only.</summary>
    static StatisticalEnsemble WithStepUnit(StatisticalEnsemble ensemble, TrainingOptions options, (float Center, float Scale)[] stats) =>
        options.Scaling == ScalingMode.WindowLevel ? ensemble.WithStepUnit(stats[0].Scale) : ensemble;

    /// <summary>Whether the outlier rules judge <paramref name="set"/>'s steps relative to its level: not where it is on the log scale already.</summary>
    internal static bool StepsRelative(SeriesSet set) => set.Transform != SeriesTransform.Log;

    /// <summary>
    /// The transform asked for, else log when every value is positive, its logs as floats resolve it (<see cref="SeriesTransforms.LogResolves"/>)
    /// and the best exponential smoothing of the logs has the lower AICc on the original scale (the log-likelihood corrected
    /// by the Jacobian, 2 Σ log y), else none.
    /// </summary>
    internal static SeriesTransform ChooseTransform(SeriesSet set, TrainingOptions options, IReadOnlyList<int> seasons, CancellationToken cancellationToken = default)
    {
        if (options.Transform is { } given) return given;
        // One series only: the likelihoods of series on different scales do not add up to a comparable number.
        if (set.Count != 1 || !SeriesTransforms.Positive(set.Raw[0]) || !SeriesTransforms.LogResolves(set.Raw[0])) return SeriesTransform.None;
        var part = FittedParts(set, heldOut: true, seasons);
        var logs = part.Select(p => Array.ConvertAll(p, Math.Log)).ToList();
        var (_, plain) = ExponentialSmoothing.SelectShape(part, [1.0], seasons, cancellationToken);
        var (_, logged) = ExponentialSmoothing.SelectShape(logs, [1.0], seasons, cancellationToken);
        return logged + 2 * logs[0].Sum() < plain ? SeriesTransform.Log : SeriesTransform.None;
    }

    internal static TrainingResult TrainPrepared(SeriesSet set, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken)
    {
        var quantiles = options.Quantiles.Order().ToArray();
        int s = options.Horizon;
        var seasons = Seasons(set, options);
        // What the members are fitted on; a model that tells glitches scales and fits its highway on it too (null: as given).
        var fittedPart = FittedParts(set, heldOut: true, seasons);
        var spikeFree = TellsGlitches(set, options) ? fittedPart : null;
        // The whole series so, for the mix's judgement of the windows and for the refit (null: as given).
        var allSpikeFree = spikeFree is null ? null : FittedParts(set, heldOut: false, seasons);
        var stats = ScalingStatistics(set, options.Scaling, spikeFree, heldOut: true);
        // The window may span the longest season (a week of half-hours, not just a day); without one, the autocorrelation's cycle.
        int season = WindowSeason(set, options, seasons);
        var (window, orders) = ChooseWindow(set, stats, options, seasons.Count > 0 ? seasons[^1] : season, season, spikeFree);
        int reported = ReportedSeason(seasons);
        cancellationToken.ThrowIfCancellationRequested();
        // The step limit of one series' autoregression is measured in the history's mean absolute step, the unit of the default
        // window-level scaling (a z-score's or IQR's unit measures levels, not steps: there the limit stays absolute).
        var statistics = options.Statistics ? WithStepUnit(StatisticalEnsemble.Fit(SharedFitParts(fittedPart), seasons, cancellationToken, StepsRelative(set), global: set.Count > 1), options, stats) : null;
        cancellationToken.ThrowIfCancellationRequested();
        var transform = set.Transform;
        bool nonNegative = options.NonNegative ?? false;
        // The network corrects the classical members' mean (their residual is what it learns) in place of the highway's.
        bool corrects = statistics is not null && options.Strategy == ForecastStrategy.Direct && options.CorrectStatistics;
        LinearHighway? highway = null;
        if (orders.Length > 0) highway = FitHighway(set, stats, orders, options.Scaling, heldOut: true, spikeFree);
        // Correcting the statistics, the highway is a member of the mix (and of the mean corrected), not part of the network.
        if (corrects && highway is not null) statistics = statistics!.WithWeights(Enumerable.Repeat(1f / (StatisticalEnsemble.MemberCount + 2), StatisticalEnsemble.MemberCount + 2).ToArray());

        // A recursive model trains a one-step head; calibration and the backtest still look at the whole horizon.
        var strategy = options.Strategy;
        int steps = strategy == ForecastStrategy.Recursive ? 1 : s;
        var data = WindowedData.Build(set, stats, window, steps, options.Scaling, heldOut: true, options.FutureCovariates);
        var evaluation = steps == s ? data : WindowedData.Build(set, stats, window, s, options.Scaling, heldOut: true, options.FutureCovariates);
        cancellationToken.ThrowIfCancellationRequested();
        // The members read the series alone: what its covariates add is fitted on their residuals (kept if it helps), so a
        // short series whose network is silenced still uses them.
        if (corrects && !data.Layout.Plain)
            statistics = statistics!.WithCovariateEffect(CovariateSelection.Fit(statistics, highway, data, cancellationToken: cancellationToken,
                excluded: options.Levels is { } adjusted ? set.CovariateNames.Select((_, k) => adjusted.Levels.Reads(k)).ToArray() : null));
        if (corrects) data.Base = StatisticsMixer.MemberMeans(statistics!, highway, data, cancellationToken);
        var run = new LockstepRun(data, options, quantiles, corrects ? null : highway, window, steps);
        var fit = run.Fit(options.Epochs, options.Patience, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        // Shrinkage toward the classical members on short series: a correction learned from too few windows fits the
        // validation part's noise (on the suite's short series it made the mix worse more often than better).
        float correctionScale = corrects && (data.Train.Count < MinimumNetworkWindows || options.WithoutNetwork) ? 0f : 1f;
        var validated = new ForecastModel(Ensemble.Merge(run.Members), window, s, quantiles, options.Scaling, highway, null, reported, run.Members.Length, strategy,
            set.CovariateNames, options.FutureCovariates, transform, corrects ? statistics : null, nonNegative, corrects, correctionScale);
        float[]? calibration = null;
        float[]?[]? seriesScales = null, seriesWeights = null;
        int? sole = statistics is null ? null : SoleSeasonal(set, options, statistics, highway, seasons);
        if (statistics is not null)
        {
            // Theta alone is calibrated on its own residuals, not in units of its disagreement with members that cannot repeat
            // the season: that disagreement is the season's swing, and it had made two years' intervals as wide as the swing.
            float spreadFloor = options.AbsoluteIntervals || sole is not null ? 0 : StatisticsMixer.IntervalSpread;
            // A series too short to weigh the forecasters on its validation windows scores them from rolling origins, each
            // fitted again on the history before it (its network is silenced, so it forecasts the members' mean there too).
            var rolling = corrects && correctionScale == 0 && !options.Trial && evaluation.Validation.Count < Conformal.MinSamples
                ? RollingOriginForecasts.Collect(set, evaluation, seasons, highway is null ? [] : highway.Orders.ToArray(), statistics.CovariateEffect,
                    spikeFree is not null, cancellationToken) : null;
            // A silenced network is never run, so its quantile heads cannot give the intervals: calibration is their only source.
            bool calibrate = options.Calibrate || (correctionScale == 0 && !options.Trial);
            // Judged on the series without its isolated spikes where the model's forecasts read a history so too (it tells
            // glitches): on the whole series, whose validation windows read it as well.
            var mix = StatisticsMixer.Fit(validated, statistics, evaluation, quantiles, calibrate, spreadFloor, cancellationToken, rolling, sole, allSpikeFree);
            var weights = mix.Weights;
            (calibration, seriesScales, seriesWeights) = (mix.Calibration, mix.SeriesScales, mix.SeriesWeights);
            statistics = statistics.WithWeights(weights).WithIntervalSpread(calibration is null ? 0 : spreadFloor);
            validated = new ForecastModel(validated.Network, window, s, quantiles, options.Scaling, highway, calibration, reported, run.Members.Length, strategy,
                set.CovariateNames, options.FutureCovariates, transform, statistics, nonNegative, corrects, correctionScale);
        }
        else if (options.Calibrate && quantiles.Length > 0 && evaluation.Validation.Count > 0)
        {
            calibration = Conformal.Offsets(validated, evaluation, quantiles, cancellationToken);
            validated = new ForecastModel(validated.Network, window, s, quantiles, options.Scaling, highway, calibration, reported, run.Members.Length, strategy,
                set.CovariateNames, options.FutureCovariates, transform, null, nonNegative);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Scored on the series itself, so the naive baselines (and the MASE's scale) are the series' own; in a model of several
        // series each under its id, with its own weights and scales, as a forecast naming it is served (and as a stream's online
        // MASE, which a drift compares with this one, is scored).
        int? shortest = SeriesSet.ShortestWithValidation(options);
        var scored = PerSeriesById.Keep(validated, seriesScales, seriesWeights, set.Ids);
        var metrics = options.Levels is { } levels
            ? Backtest.Run(validated.WithCovariateLevels(levels.Levels, levels.NonNegative, levels.Declared).WithUpperBound(options.UpperBound), evaluation.WithOriginal(levels.Series), reported, cancellationToken, shortest)
            : Backtest.Run((options.NonNegativeDeclared ? scored.WithNonNegativeDeclared() : scored).WithUpperBound(options.UpperBound), evaluation, reported, cancellationToken, shortest, set.Ids);
        cancellationToken.ThrowIfCancellationRequested();

        var final = validated;
        var allStats = ScalingStatistics(set, options.Scaling, allSpikeFree, heldOut: false);
        // Refit whenever something was held out (even if a long gap left no validation window to score).
        if (options.Refit && set.HasValidation)
        {
            // No highway where the held-out fit had none (every order explosive there): the mix's weights count one per member.
            var allHighway = orders.Length > 0 && highway is not null ? FitHighway(set, allStats, orders, options.Scaling, heldOut: false, allSpikeFree) ?? highway : null;
            var allData = WindowedData.Build(set, allStats, window, steps, options.Scaling, heldOut: false, options.FutureCovariates);
            cancellationToken.ThrowIfCancellationRequested();
            var allStatistics = statistics is null ? null : WithStepUnit(statistics.Refit(SharedFitParts(allSpikeFree ?? FittedParts(set, heldOut: false, seasons)), seasons, cancellationToken, StepsRelative(set), global: set.Count > 1), options, allStats);
            // The covariates chosen on the validation part, fitted again on everything (as the members are). Should that fail
            // (a long series thinned past CovariateSelection.DesignBudget may miss a rare change) the held-out coefficients
            // stay: the weights and the calibration were fitted with them, though on covariates z-scored over less data. The
            // season of a known covariate's seasonal change is the refitted smoothing's, which may differ from the held-out one's.
            if (statistics?.CovariateEffect is { } effect)
                allStatistics = allStatistics!.WithCovariateEffect(CovariateSelection.Fit(allStatistics, allHighway, allData, effect.Used.ToArray(), cancellationToken) ?? effect);
            cancellationToken.ThrowIfCancellationRequested();
            if (corrects) allData.Base = StatisticsMixer.MemberMeans(allStatistics!, allHighway, allData, cancellationToken);
            var refit = new LockstepRun(allData, options, quantiles, corrects ? null : allHighway, window, steps);
            refit.Replay(fit.LearningRates.Take(fit.BestEpoch).ToArray(), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            final = new ForecastModel(Ensemble.Merge(refit.Members), window, s, quantiles, options.Scaling, allHighway, calibration, reported, refit.Members.Length, strategy,
                set.CovariateNames, options.FutureCovariates, transform, allStatistics, nonNegative, corrects, correctionScale);
            // Theta alone took its season only now (the held-out part held fewer than two periods): the held-out calibration
            // measured it without one, the season's swing as its error. The whole series' windows measure it as it forecasts,
            // in sample and widened by the final prediction error (two years of months, a horizon of 6: intervals 97-161
            // wide where the season swung by 60 and the noise's 0.1-0.9 width was 8).
            if (sole is not null && calibration is not null && steps == s && allStatistics!.Theta.Season != statistics!.Theta.Season
                && StatisticsMixer.Fit(final, allStatistics, allData, quantiles, calibrate: true, 0, cancellationToken, sole: sole,
                    spikeFree: allSpikeFree).Calibration is { } whole)
            {
                final = final.WithCalibration(whole);
                calibration = null;
                seriesScales = null;
            }
        }
        if (calibration is not null && set.Count == 1) final = InUnitsOfTheWholeSeries(final, calibration, stats[0].Scale, allStats[0].Scale);
        return new TrainingResult(final, fit.TrainLosses.Count, fit.BestEpoch, fit.TrainLosses, fit.ValidationLosses, set.MissingValues, metrics,
            KeptValidationLoss: fit.KeptValidationLoss, SeriesIntervalScales: seriesScales, SeriesMixWeights: seriesWeights);
    }

    /// <summary>
    /// The result with its model keeping each series' interval scales and mixing weights
    /// (<see cref="TrainingResult.SeriesIntervalScales"/>, <see cref="TrainingResult.SeriesMixWeights"/>) under the series' id (<see cref="PerSeriesById"/>).
    /// </summary>
    static TrainingResult WithSeriesIds(TrainingResult result, IReadOnlyList<TrainingSeries> series)
    {
        var scales = result.SeriesIntervalScales is { } s && s.Count == series.Count ? s : null;
        var weights = result.SeriesMixWeights is { } w && w.Count == series.Count ? w : null;
        if (scales is null && weights is null) return result;
        return result with { Model = PerSeriesById.Keep(result.Model, scales, weights, series.Select(x => x.Id).ToList()) };
    }
}

using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// Decides how a model mixes its network with the classical forecasters, and how wide the mix's intervals are. Every
/// forecaster was fitted with the validation part held out. When the network's correction is active (a long series) and the
/// validation windows are scored, the weights are the convex combination with the least squared error on them
/// (<see cref="ConvexStacking"/>); otherwise they are inversely proportional to each one's mean squared error on the
/// validation windows, those more than <see cref="TrimRatio"/> times the best one's left out. When the validation windows
/// are few (a short series), the errors are those from the trainer's rolling origins (<see cref="RollingOriginForecasts"/>,
/// nobody trimmed) where it scored them (a silenced network that corrects the members; see its
/// <see cref="RollingOriginForecasts.Collect"/> for the series it leaves out), else over every window, trimmed; equal
/// without any. Every window means evenly spaced ones of each part on a long series with a long window
/// (<see cref="LockstepRun.ScoredWindows"/>). The interval offsets are the empirical quantiles of the mix's residuals per horizon step over every window (see
/// <see cref="Conformal"/>), widened to those of the validation windows alone where these are wider (without the steps across
/// a change of level unread at their origin, <see cref="UnreadLevelChanges"/>); each residual is first
/// divided by <see cref="IntervalSpread"/> plus the forecasters' disagreement at its step (<see cref="ForecastModel.Spread"/>),
/// as a forecast's offsets are multiplied by its own (<see cref="StatisticalEnsemble.IntervalSpread"/>). In a model of several
/// series each also gets its own weights (<see cref="MixWeights.PerSeries"/>) and, under them, its own reach against the
/// pooled offsets (<see cref="SeriesIntervalScales"/>).
/// </summary>
internal static class StatisticsMixer
{
    /// <summary>Forecasters whose error exceeds the best one's by this factor are left out of the mix.</summary>
    public const double TrimRatio = 2;

    /// <summary>
    /// The floor added to the forecasters' disagreement before residuals are divided by it: one encoded unit (the history's
    /// mean absolute step under the default window-level scaling; its standard deviation or robust scale under series
    /// scaling), the noise left when every forecaster reads the history alike. Intervals in units of the disagreement widen
    /// where the history's reading is in doubt (a turn, a trend the smoothing damps and the autoregression follows), which
    /// intervals of one width for every origin miss.
    /// </summary>
    public const float IntervalSpread = 1f;

    /// <param name="spreadFloor">The floor of the units the residuals are measured in (<see cref="IntervalSpread"/>; 0: absolute residuals).</param>
    /// <param name="rolling">A short series' forecasts from rolling origins (<see cref="RollingOriginForecasts"/>), or null: when
    /// given, they set the weights (the network's forecast there is the members' mean, as a silenced network's is).</param>
    /// <param name="sole">The one forecaster (0 the network, then the members in order) that gets all the weight, or null: the
    /// trainer's choice where only one can repeat the season found (<see cref="ForecastTrainer.SoleSeasonal"/>).</param>
    /// <param name="spikeFree">The series without their isolated spikes (<see cref="ForecastTrainer.FittedParts"/>), or null:
    /// when given, every window reads them, inputs and targets (rolling origins, which set a short series' weights, are
    /// forecast from the series as given). A glitch had been every forecaster's error on the windows that read it: one in
    /// two years of a monthly season widened the 0.1-0.9 interval from 15 to 116, and a long series' stacking weights
    /// followed it (taylor with a glitch 0.368, now 0.328).</param>
    public static MixFit Fit(ForecastModel model, StatisticalEnsemble statistics, WindowedData data, float[] quantiles, bool calibrate,
        float spreadFloor, CancellationToken cancellationToken = default, RollingOriginForecasts? rolling = null, int? sole = null,
        IReadOnlyList<double[]>? spikeFree = null)
    {
        if (spikeFree is not null) data = data.WithoutSpikes(spikeFree);
        // Evenly spaced windows of each part on a long series with a long window (every one of them cost seconds there).
        var train = LockstepRun.ScoredWindows(data.Train, data.Layout.Steps);
        var windows = train.Concat(LockstepRun.ScoredWindows(data.Validation, data.Layout.Steps)).ToList();
        int validationFrom = train.Count;
        int s = data.Horizon, q = quantiles.Length, w = data.Window, o = s * (1 + q), n = windows.Count;
        var highway = model.HighwayIsMember ? new ComposedHighway(model.Highway!, w, s) : null;
        int members = StatisticalEnsemble.MemberCount + (highway is null ? 0 : 1);
        if (rolling is not null)
        {
            if (!model.CorrectsStatistics || model.CorrectionScale != 0)
                throw new ArgumentException("Rolling origins score the members' mean in the network's place: only a silenced network forecasts it.", nameof(rolling));
            if (rolling.MemberCount != members || rolling.Members.Length != rolling.Rows * members * s || rolling.Targets.Length != rolling.Rows * s)
                throw new ArgumentException($"The rolling origins must score {members} members over {s} steps per row.", nameof(rolling));
        }
        var encodedMembers = new float[n * members * s];
        var targets = new float[n * s];
        var predictions = new float[n * o];
        var scaling = new (float Level, float Scale)[n];
        Predict(model, data, windows, targets, predictions, scaling, cancellationToken);
        MemberForecasts(statistics, highway, data, windows, s, scaling, encodedMembers, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        // Squared errors (and, for stacking, the sums of the forecasts' products) of the network (0) and of each member (1..)
        // on the validation windows, or over every window when the validation part holds fewer than Conformal.MinSamples: a
        // short series' few validation windows would let their noise set the weights, while on the training part the members
        // (a handful of parameters) are only mildly in-sample.
        int scoredFrom = n - validationFrom >= Conformal.MinSamples ? validationFrom : 0;
        // A network trusted with its correction (200 training windows or more) comes with a validation part of dozens of
        // windows (about 50 at the default fifth), enough values to fit the convex combination itself; inverse errors would
        // still give every member a share where the network is clearly the best (a long cyclic series).
        bool stack = model.CorrectsStatistics && model.CorrectionScale > 0 && scoredFrom == validationFrom;
        // A short series' forecasters scored from rolling origins, each fitted on the history before its origin alone, replace
        // the windows' errors: out of sample, unlike the training windows, so every one keeps a share by its error (none is
        // trimmed; on 20-odd origins a member's bad stretch is too short to rule it out). Its silenced network outputs zero
        // there (stacking is off: it needs a live network).
        var (rowTargets, rowMembers, from, to) = rolling is null ? (targets, encodedMembers, scoredFrom, n) : (rolling.Targets, rolling.Members, 0, rolling.Rows);
        float[] Weigh(IReadOnlyList<int> rows) => MixWeights.Of(rowTargets, rowMembers, rolling is null ? predictions : default, o, members, s, rows,
            model.CorrectsStatistics, stack, trimmed: rolling is null);
        var weights = Weigh(Enumerable.Range(from, to - from).ToArray());
        // In a model of several series, each series' own weights too (scored on its own windows, moved toward the pooled
        // ones): one set for all had mixed a clean weekly series as the random walks beside it wanted (a QA pass).
        var seriesWeights = rolling is null && sole is null && data.Filled.Length > 1
            ? MixWeights.PerSeries(weights, Enumerable.Range(0, n).Select(i => i >= scoredFrom ? windows[i].Series : -1).ToArray(), data.Filled.Length, Weigh)
            : null;
        if (sole is int only)
        {
            Array.Clear(weights);
            weights[only] = 1;
        }
        if (!calibrate || q == 0) return new MixFit(weights, null, SeriesWeights: seriesWeights);

        // Where the validation part is too short to widen them (below), a silenced network's intervals rest on the training
        // windows, in sample for the members: their residuals are widened by each series' final prediction error (about 1 on
        // a long series). A live network's own fit is no parameter count.
        var inflation = n - validationFrom < Conformal.MinSamples && model.CorrectsStatistics && model.CorrectionScale == 0
            ? FinalPredictionError.Factors(data, FinalPredictionError.MixParameters(statistics, model.HighwayIsMember ? model.Highway : null, weights))
            : null;
        var factors = new List<float>[s];
        var perStep = new List<float>[s];
        var seriesOf = new List<int>[s];
        // Where a series mixes with its own weights, its residuals as it is forecast under its id set its interval scales.
        var ownPerStep = seriesWeights is null ? null : new List<float>[s];
        // The validation windows' residuals again, each step's: the intervals are never narrower than these show. Not those
        // at or after a change of level unread at their origin: its step would set their few residuals, where a forecast
        // served after its reading starts at the new level (every window's pool keeps them, at their share; the members'
        // forecasts here read no change, so a residual past the reading may still hold part of the step).
        var held = new List<float>[s];
        var unread = n > validationFrom ? UnreadLevelChanges.Of(statistics, data, windows.GetRange(validationFrom, n - validationFrom), cancellationToken) : null;
        for (int t = 0; t < s; t++) { perStep[t] = new List<float>(n); seriesOf[t] = new List<int>(n); factors[t] = []; held[t] = []; }
        if (ownPerStep is not null) for (int t = 0; t < s; t++) ownPerStep[t] = new List<float>(n);
        var row = new float[o];
        var unit = new float[s];
        var ownRow = new float[o];
        var fixedPhases = Conformal.FixedPhases(model, data, windows);
        for (int i = 0; i < n; i++)
        {
            predictions.AsSpan(i * o, o).CopyTo(row);
            ForecastModel.Mix(weights, default, row, encodedMembers.AsSpan(i * members * s, members * s), s, q, model.CorrectsStatistics, spreadFloor, unit);
            // The units (the forecasters' disagreement) do not depend on the weights: the pooled mix's serve.
            var own = seriesWeights?[windows[i].Series];
            if (own is not null)
            {
                predictions.AsSpan(i * o, o).CopyTo(ownRow);
                ForecastModel.Mix(own, default, ownRow, encodedMembers.AsSpan(i * members * s, members * s), s, q, model.CorrectsStatistics, spreadFloor);
            }
            for (int t = 0; t < s; t++)
            {
                float y = targets[i * s + t];
                if (float.IsNaN(y) || Conformal.IsFixed(fixedPhases, i, t)) continue;
                float residual = (y - row[t]) / unit[t];
                perStep[t].Add(residual);
                ownPerStep?[t].Add(own is null ? residual : (y - ownRow[t]) / unit[t]);
                seriesOf[t].Add(windows[i].Series);
                if (i < validationFrom) { if (inflation is not null) factors[t].Add(inflation[windows[i].Series]); }
                else if (unread is null || !unread[(i - validationFrom) * s + t]) held[t].Add(residual);
            }
        }
        for (int t = 0; t < s; t++)
        {
            FinalPredictionError.Widen(perStep[t], factors[t]);
            if (ownPerStep is not null) FinalPredictionError.Widen(ownPerStep[t], factors[t]);
        }
        var steps = perStep.Select(l => l.ToArray()).ToArray();
        var offsets = new float[q * s];
        for (int k = 0; k < q; k++) Conformal.PooledQuantiles(steps, quantiles[k], offsets.AsSpan(k * s, s), symmetricWhenFew: true);
        // Never narrower than the validation part alone shows: the training windows' residuals are partly in-sample, and
        // where the latest history moves more than the earlier the long-run width under-covers.
        if (held.Any(h => h.Count > 0))
        {
            var heldSteps = held.Select(h => h.ToArray()).ToArray();
            var other = new float[s];
            for (int k = 0; k < q; k++)
            {
                Conformal.PooledQuantiles(heldSteps, quantiles[k], other);
                for (int t = 0; t < s; t++)
                {
                    ref float offset = ref offsets[k * s + t];
                    if (quantiles[k] < 0.5f) offset = Math.Min(offset, other[t]);
                    else if (quantiles[k] > 0.5f) offset = Math.Max(offset, other[t]);
                }
            }
        }
        var perSeries = new int[data.Filled.Length];
        foreach (var window in windows) perSeries[window.Series]++;
        return new MixFit(weights, offsets, SeriesIntervalScales.Of(ownPerStep ?? perStep, seriesOf, offsets, quantiles, perSeries), seriesWeights);
    }

    /// <summary>
    /// The classical members' equal-weight mean from every window's origin (or from those of <paramref name="windows"/>),
    /// encoded like the window: what a network that corrects the statistics (<see cref="ForecastModel.CorrectsStatistics"/>)
    /// adds its output to, and what the covariates' effect is fitted on.
    /// </summary>
    public static Dictionary<WindowRef, float[]> MemberMeans(StatisticalEnsemble statistics, LinearHighway? highway, WindowedData data,
        CancellationToken cancellationToken = default, List<WindowRef>? windows = null)
    {
        windows ??= data.Train.Concat(data.Validation).ToList();
        int s = data.Horizon, w = data.Window;
        var composed = highway is null ? null : new ComposedHighway(highway, w, s);
        int members = StatisticalEnsemble.MemberCount + (composed is null ? 0 : 1);
        var scaling = new (float Level, float Scale)[windows.Count];
        var scratch = new float[w];
        for (int i = 0; i < windows.Count; i++)
            scaling[i] = ForecastModel.EncodeWindow(data.Filled[windows[i].Series], windows[i].TargetStart, w, data.Scaling, data.Stats[windows[i].Series], scratch);
        var encoded = new float[windows.Count * members * s];
        MemberForecasts(statistics, composed, data, windows, s, scaling, encoded, cancellationToken);
        var means = new Dictionary<WindowRef, float[]>(windows.Count);
        for (int i = 0; i < windows.Count; i++)
        {
            var mean = new float[s];
            for (int j = 0; j < members; j++)
                for (int t = 0; t < s; t++) mean[t] += encoded[(i * members + j) * s + t] / members;
            means[windows[i]] = mean;
        }
        return means;
    }

    /// <summary>The model's (uncalibrated) outputs and the encoded targets of every window, in batches.</summary>
    static void Predict(ForecastModel model, WindowedData data, List<WindowRef> windows, float[] targets, float[] predictions, (float Level, float Scale)[] scaling,
        CancellationToken cancellationToken)
    {
        const int chunk = 256;
        int s = data.Horizon, w = data.Window, o = predictions.Length / Math.Max(1, windows.Count);
        var layout = data.Layout;
        var x = new float[chunk * w];
        var input = layout.Plain ? x : new float[chunk * layout.RowLength];
        for (int start = 0; start < windows.Count; start += chunk)
        {
            // Once per batch of windows: cheap next to the batch's inference, and a cancel or the job's time limit is seen within one.
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(chunk, windows.Count - start);
            for (int r = 0; r < rows; r++)
            {
                int i = start + r;
                var win = windows[i];
                scaling[i] = ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, w, data.Scaling, data.Stats[win.Series], x.AsSpan(r * w, w));
                if (!layout.Plain)
                    layout.Encode(x.AsSpan(r * w, w), data.Covariates[win.Series], data.CovariateStats[win.Series], win.TargetStart, input.AsSpan(r * layout.RowLength, layout.RowLength));
                var raw = data.Raw[win.Series];
                for (int t = 0; t < s; t++) targets[i * s + t] = (raw[win.TargetStart + t] - scaling[i].Level) / scaling[i].Scale;
            }
            model.Predict(input, x, rows).CopyTo(predictions, start * o);
        }
    }

    /// <summary>
    /// Each member's forecast from every window's origin, encoded like the window ([windows, members, steps]): the classical
    /// members, then the highway's when it is one, each moved by the statistics' covariate effect when they have one.
    /// </summary>
    static void MemberForecasts(StatisticalEnsemble statistics, ComposedHighway? highway, WindowedData data, List<WindowRef> windows, int s, (float Level, float Scale)[] scaling, float[] encoded,
        CancellationToken cancellationToken)
    {
        int classical = StatisticalEnsemble.MemberCount * s, stride = classical + (highway is null ? 0 : s);
        var x = new float[data.Window];
        var effect = statistics.CovariateEffect;
        var row = effect is null ? [] : new float[data.Layout.RowLength];
        foreach (var group in windows.Select((win, index) => (win, index)).GroupBy(p => p.win.Series))
        {
            // Once per series: the classical members' forecasts along a long series are the slow part.
            cancellationToken.ThrowIfCancellationRequested();
            var list = group.OrderBy(p => p.win.TargetStart).ToList();
            var origins = list.Select(p => p.win.TargetStart).Distinct().ToList();
            var forecasts = new double[origins.Count * classical];
            var series = Array.ConvertAll(data.Filled[group.Key], v => (double)v);
            statistics.ForecastsAlong(series, origins, s, forecasts, data.ValidationStart[group.Key]);
            int r = 0;
            foreach (var (win, index) in list)
            {
                while (origins[r] != win.TargetStart) r++;
                var (level, scale) = scaling[index];
                for (int j = 0; j < classical; j++) encoded[index * stride + j] = (float)((forecasts[r * classical + j] - level) / scale);
                if (highway is null && effect is null) continue;
                ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, data.Window, data.Scaling, data.Stats[win.Series], x);
                if (highway is not null) highway.Forecast(x, encoded.AsSpan(index * stride + classical, s));
                if (effect is null) continue;
                data.Layout.Encode(x, data.Covariates[win.Series], data.CovariateStats[win.Series], win.TargetStart, row);
                ForecastModel.AddCovariateEffect(effect, row, data.Window, data.Layout.Features, encoded.AsSpan(index * stride, stride), s);
            }
        }
    }
}

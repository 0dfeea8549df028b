using System.Globalization;

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Evaluation;

/// <summary>
/// Rolling-origin evaluation over the validation part: from every origin, forecast the horizon from the true
/// history up to that origin, and score the model next to the naive and seasonal-naive forecasts. Origins whose input
/// window is mostly missing are not scored (missing values at its end included, though a forecast now runs through a
/// trailing gap: the metrics stay comparable with versions scored before), nor are missing targets.
/// At most <see cref="MaxOrigins"/> origins (fewer with a long window: within <see cref="Training.LockstepRun.ValidationStepBudget"/>
/// network steps) are scored, evenly spread over the validation part. Each series is forecast under its id where one is
/// given, as a forecast naming it is served (a model of several series keeps its own weights and interval scales).
/// </summary>
public static class Backtest
{
    /// <summary>
    /// Origins scored at most. Each forecast reads its whole history (gap filling, the transform and the classical members
    /// run over all of it), so scoring every origin of a long series grows with the square of its length; a thousand
    /// origins pin the metrics down as well and keep the backtest linear in the series' length.
    /// </summary>
    public const int MaxOrigins = 1000;

    internal static BacktestMetrics Run(ForecastModel model, WindowedData data, int season, CancellationToken cancellationToken = default, int? shortestWithValidation = null,
        IReadOnlyList<string?>? ids = null)
    {
        int s = data.Horizon;
        season = Math.Max(1, season);
        // Only origins a forecast can start from (WindowedData.Build keeps no others): a mostly missing input is skipped, not an error.
        int w = model.InputWindow;
        var windows = data.Validation.Where(v => !SeriesMath.MostlyMissing(SeriesMath.CountMissing(data.Raw[v.Series].AsSpan(v.TargetStart - w, w)), w)).ToList();
        // Fewer still with a long window: the network's steps stay within what one scoring pass may read.
        int most = Math.Clamp(Training.LockstepRun.ScoredCount(data.Layout.Steps), 2, MaxOrigins);
        if (windows.Count > most)
            windows = Enumerable.Range(0, most).Select(k => windows[(int)((long)k * (windows.Count - 1) / (most - 1))]).ToList();
        var scales = new double[data.Raw.Length];
        for (int i = 0; i < scales.Length; i++) scales[i] = NaiveScale(data.OriginalFilled[i].AsSpan(0, data.ValidationStart[i]), season);
        var lstm = new AccuracyAccumulator(); var naive = new AccuracyAccumulator(); var seasonal = new AccuracyAccumulator();
        var pairs = IntervalPairs(model.Quantiles);
        var covered = new int[pairs.Count];
        int observed = 0;
        // A forecast needs each origin's whole history (scaling, gap filling and the classical members read all of it), so the
        // inputs are built and forecast one chunk of origins at a time: memory is then the chunk's histories, not every
        // origin's (which grew with the square of the series' length). The chunk is the network's own batch, and origins
        // are scored in order, so the numbers are those of one call over all origins, bit for bit.
        for (int start = 0; start < windows.Count; start += ForecastModel.PredictChunk)
        {
            // Once per chunk, so a cancel or the job's time limit is seen within one chunk's forecasts.
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(ForecastModel.PredictChunk, windows.Count - start);
            var inputs = new ForecastInput[count];
            for (int k = 0; k < count; k++) inputs[k] = Input(data, model, windows[start + k], ids);
            var forecasts = model.Forecast(inputs, cancellationToken: cancellationToken);
            for (int k = 0; k < count; k++)
            {
                var (series, origin) = windows[start + k];
                var forecast = forecasts[k];
                var raw = data.Original[series]; var filled = data.OriginalFilled[series];
                for (int h = 0; h < s; h++)
                {
                    float actual = raw[origin + h];
                    if (float.IsNaN(actual)) continue;
                    observed++;
                    int step = h + 1;
                    lstm.Add(actual, forecast.Mean[h], scales[series]);
                    naive.Add(actual, filled[origin - 1], scales[series]);
                    int back = origin - 1 + step - season * ((step + season - 1) / season); // same phase, last season observed
                    seasonal.Add(actual, filled[back >= 0 ? back : origin - 1], scales[series]);
                    for (int p = 0; p < pairs.Count; p++)
                    {
                        float lo = forecast.Quantiles[pairs[p].Low][h], hi = forecast.Quantiles[pairs[p].High][h];
                        if (actual >= lo && actual <= hi) covered[p]++;
                    }
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var coverage = new Dictionary<string, double>();
        for (int p = 0; p < pairs.Count; p++)
            coverage[$"{pairs[p].Low.ToString(CultureInfo.InvariantCulture)}-{pairs[p].High.ToString(CultureInfo.InvariantCulture)}"] = observed > 0 ? (double)covered[p] / observed : double.NaN;
        return new BacktestMetrics(lstm.Result(), naive.Result(), seasonal.Result(), season, coverage,
            observed > 0 ? null : EmptyNote(data, windows.Count, shortestWithValidation));
    }

    /// <summary>
    /// Why a backtest scored nothing: a version whose metrics are all null had said nothing of it, though a horizon near
    /// the series' length (30 values, horizon 20) leaves no validation part at all.
    /// </summary>
    static string EmptyNote(WindowedData data, int scoredOrigins, int? shortestWithValidation) =>
        data.Validation.Count > 0
            ? scoredOrigins > 0
                ? "No backtest: every value of the validation part is missing."
                : "No backtest: every validation origin's input window is mostly missing."
            : data.ValidationStart.Select((v, i) => v < data.Raw[i].Length).Any(b => b)
                ? "No backtest: the validation part is shorter than one horizon after the input window, or mostly missing."
                : $"No backtest: no series is long enough to hold out a validation part of one horizon ({data.Horizon} {(data.Horizon == 1 ? "value" : "values")}) after " +
                  $"a few training windows{(shortestWithValidation is { } n ? $"; at this horizon and input window a series needs {n} values or more" : "")}. " +
                  (data.Horizon > 1 ? "Train on a longer series, or with a shorter horizon, to see one" : "Train on a longer series to see one") +
                  "; the intervals are then set by the training windows alone.";

    /// <summary>What a caller would send for this window: the history, the covariates' history, the known covariates' future and the series' id.</summary>
    static ForecastInput Input(WindowedData data, ForecastModel model, WindowRef w, IReadOnlyList<string?>? ids)
    {
        var history = data.Original[w.Series][..w.TargetStart];
        string? id = ids is not null && w.Series < ids.Count ? ids[w.Series] : null;
        if (model.Covariates.Count == 0) return new ForecastInput(history, Id: id);
        var past = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var future = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int k = 0; k < model.Covariates.Count; k++)
        {
            var values = data.Covariates[w.Series][k];
            past[model.Covariates[k]] = values[..w.TargetStart];
            if (data.Layout.Future[k]) future[model.Covariates[k]] = values[w.TargetStart..(w.TargetStart + data.Horizon)];
        }
        return new ForecastInput(history, past, future, Id: id);
    }

    /// <summary>
    /// In-sample mean absolute error of the (seasonal) naive forecast: the MASE denominator, over the history with its
    /// isolated spikes replaced (<see cref="OutlyingSteps.WithoutSpikes"/>, as the classical members are fitted). A typo
    /// is two huge steps, in and out: one value ten times the level, 142 days before the end of 392 daily values, had made
    /// the scale three times larger and every MASE of the version (the model's, the naive baselines') three times smaller,
    /// the forecasts themselves as good as without it (a QA pass: 0.726 clean, 0.251 with the typo).
    /// </summary>
    /// <remarks>
    /// A season repeated exactly has no seasonal-naive error: the one-step naive error scales it then, as it scales a series
    /// without a season. The scale had fallen to 1, so the "MASE" of such a series was its mean absolute error in the data's
    /// units (a sine of amplitude 1e9 forecast within 0.001% read 32,040, a QA pass). Only a constant series keeps 1.
    /// </remarks>
    public static double NaiveScale(ReadOnlySpan<float> history, int season)
    {
        int m = season < history.Length ? Math.Max(1, season) : 1;
        var values = new double[history.Length];
        for (int i = 0; i < values.Length; i++) values[i] = history[i];
        double scale = MeanAbsoluteStep(OutlyingSteps.WithoutSpikes(values, m), m);
        if (scale == 0 && m > 1) scale = MeanAbsoluteStep(OutlyingSteps.WithoutSpikes(values, 1), 1);
        return scale > 0 ? scale : 1.0;
    }

    /// <summary>The mean absolute change over <paramref name="lag"/> steps; 0 when there is none.</summary>
    static double MeanAbsoluteStep(double[] read, int lag)
    {
        double sum = 0;
        int n = 0;
        for (int i = lag; i < read.Length; i++) { sum += Math.Abs(read[i] - read[i - lag]); n++; }
        return n > 0 ? sum / n : 0;
    }

    /// <summary>Symmetric quantile pairs (q, 1 - q) present in the model, e.g. 0.1 with 0.9.</summary>
    public static List<(float Low, float High)> IntervalPairs(IReadOnlyList<float> quantiles)
    {
        var pairs = new List<(float, float)>();
        foreach (var lo in quantiles.Where(v => v < 0.5f))
        {
            var hi = quantiles.Where(v => MathF.Abs(v - (1f - lo)) < 1e-4f).Cast<float?>().FirstOrDefault();
            if (hi is { } h) pairs.Add((lo, h));
        }
        return pairs;
    }
}

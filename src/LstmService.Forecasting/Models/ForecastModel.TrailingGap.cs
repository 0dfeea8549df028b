using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using System.Runtime.InteropServices;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

public sealed partial class ForecastModel
{
    /// <summary>
    /// The longest trailing gap a forecast runs through: the larger of the input window and four horizons. The gap is filled
    /// a horizon per network pass, and a gap a few horizons long already leaves the forecast more the fill's than the data's.
    /// </summary>
    public int MaxTrailingGap => TrailingGapLimit(InputWindow, Horizon);

    /// <summary><see cref="MaxTrailingGap"/> of a model with this input window and horizon.</summary>
    public static int TrailingGapLimit(int inputWindow, int horizon) => Math.Max(inputWindow, 4 * horizon);

    /// <summary>
    /// The values a forecast computes to fill a trailing gap of <paramref name="gap"/> before its horizon: a whole horizon per
    /// network pass (<see cref="FillTrailingGap"/>); none for a model with covariates, which carries the last value forward.
    /// A history ending in its longest gap costs up to five forecasts' work, which the request's own count had not shown.
    /// </summary>
    public int GapFillValues(int gap) => gap <= 0 || _covariates.Length > 0 ? 0 : (int)Math.Min((long)(gap + Horizon - 1) / Horizon * Horizon, int.MaxValue);

    /// <summary>
    /// The values a state keeps as given (<see cref="SeriesState.Window"/>, trimmed back to this once it holds twice as many):
    /// the input window before the longest trailing gap it may end with. States exported before it kept one input window.
    /// </summary>
    public int WindowKept => InputWindow + MaxTrailingGap;

    /// <summary>
    /// Why a history whose last values as given are <paramref name="lastValues"/>, ending with <paramref name="gap"/> missing
    /// ones, cannot be forecast: nothing observed, a gap past <see cref="MaxTrailingGap"/>, or more than half of the input
    /// window's values up to the last observed one missing (the fill reads them); null when it can. Counting the gap itself
    /// as missing had refused the very history a daily model was trained on (a QA pass: 140 days, then 21 missing).
    /// </summary>
    /// <param name="fromStart">Whether <paramref name="lastValues"/> are a whole history as given, whose closed gaps the
    /// model fills as it reads them (<see cref="MissingBefore"/>); false for a state's window, which holds those fills.</param>
    public string? TrailingGapProblem(ReadOnlySpan<float> lastValues, int gap, bool anyObserved, bool fromStart = true)
    {
        if (!anyObserved) return "Every value is missing.";
        if (gap > MaxTrailingGap)
            return $"The last {gap} values are missing: this model forecasts through a trailing gap of at most {MaxTrailingGap} " +
                   $"(the larger of its inputWindow, {InputWindow}, and 4 × its horizon, {Horizon}). Give the values up to a later time.";
        int missing = MissingBefore(lastValues, lastValues.Length - gap, fromStart);
        if (!SeriesMath.MostlyMissing(missing, InputWindow)) return null;
        // Where the window's gap is one too long to fill, say so: the values after it alone are no window yet (a QA pass).
        var before = lastValues[..Math.Max(0, lastValues.Length - gap)];
        int end = before.Length;
        while (end > 0 && !float.IsNaN(before[end - 1])) end--;
        int run = 0;
        while (end - run > 0 && float.IsNaN(before[end - run - 1])) run++;
        string longGap = run > MaxTrailingGap && end - run > 0
            ? $" The {run} missing values before the last {before.Length - end} are more than the {MaxTrailingGap} this model fills: " +
              $"give at least half an inputWindow ({(InputWindow + 1) / 2}) of values after them."
            : "";
        return $"Mostly missing: {missing} of the {InputWindow} values up to the last observed one are missing; at most half may be.{longGap}";
    }

    /// <summary>
    /// Missing values among the <see cref="InputWindow"/> places before <paramref name="end"/> (places before the first value
    /// count as missing: one observed value then a gap is no window), where a gap the model filled when a value closed it
    /// (<see cref="FillsClosedGap"/>) counts as present: replayed over a whole history as given (<paramref name="fromStart"/>),
    /// whose every value is there to say how many the members had read by each gap; a state's window holds the fills itself,
    /// and its missing values are the gaps it did not fill. (Replayed over a window, counting from its start, a gap the
    /// state had left straight could read as filled.)
    /// </summary>
    int MissingBefore(ReadOnlySpan<float> values, int end, bool fromStart)
    {
        int w = InputWindow;
        end = Math.Clamp(end, 0, values.Length); // a state exported with one window before a longer trailing gap keeps none
        int from = Math.Max(0, end - w);
        int missing = SeriesMath.CountMissing(values[from..end]) + w - (end - from);
        // Only a filled gap could leave fewer missing; replayed from the first value, since whether one gap was filled
        // depends on the window before it.
        if (!fromStart || !SeriesMath.MostlyMissing(missing, w) || _covariates.Length > 0) return missing;
        var counted = new int[end + 1]; // counted[t]: values missing among the first t, the filled gaps not counted
        int first = -1;
        for (int t = 0; t < end;)
        {
            if (!float.IsNaN(values[t])) { counted[t + 1] = counted[t]; if (first < 0) first = t; t++; continue; }
            int start = t;
            while (t < end && float.IsNaN(values[t])) t++;
            int before = Math.Max(0, start - w);
            // The values the members have read by the gap: those from the first observed one.
            bool filled = first >= 0 && t < end && FillsClosedGap(t - start, start - first, () => counted[start] - counted[before] + w - (start - before));
            for (int j = start; j < t; j++) counted[j + 1] = counted[j] + (filled ? 0 : 1);
        }
        return counted[end] - counted[from] + w - (end - from);
    }

    /// <summary>
    /// The shortest gap an observed value closes that is filled with the model's forecasts (<see cref="FillsClosedGap"/>): one
    /// value in a model with a season and classical members, two otherwise. The mean of its neighbours is a random walk's
    /// best guess for a single missing value, but it cuts through a season's turn: one missing peak of a clean weekly pattern
    /// had been read as half its height, and the whole next week forecast up to 8 too low (a QA pass; two missing were filled
    /// and forecast exactly). Without members a fill early in the series carries the last value (<see cref="ClassicalFill"/>),
    /// no better than the mean.
    /// </summary>
    public int ShortestFilledGap => SeasonLength > 1 && Statistics is not null ? 1 : 2;

    /// <summary>
    /// Whether a gap of <paramref name="run"/> missing values that an observed value closes, after an input window with
    /// <paramref name="missingBefore"/> missing, is filled with the model's forecasts from before it (<see cref="SettleFilledGap"/>)
    /// rather than the straight line to the value: a gap of at least <see cref="ShortestFilledGap"/> that the model forecasts through
    /// (<see cref="TrailingGapProblem"/>), in a model without covariates (those carry a gap forward). Drawn straight, eight missing months of a yearly season had lost its shape (0.1-0.9 coverage 0.53 after
    /// them, 0.88 now), and a gap that left the window after it mostly missing had been refused until half a window of
    /// values had come back.
    /// </summary>
    /// <param name="read">The values the classical members have read by the gap (<see cref="FillAffordable"/>).</param>
    /// <param name="missingBefore">The missing values of the input window before the gap, counted only once the rest holds.</param>
    bool FillsClosedGap(int run, int read, Func<int> missingBefore) =>
        _covariates.Length == 0 && run >= ShortestFilledGap && run <= MaxTrailingGap && FillAffordable(read)
        && !SeriesMath.MostlyMissing(missingBefore(), InputWindow);

    /// <summary>
    /// Whether a gap after <paramref name="read"/> values the members have read is filled at a bounded cost: past their head
    /// (the first values, from which a forecast restarts them: ceil(1/α) and more, up to 10,000), or within its first
    /// <see cref="HeadFillLimit"/> values, where a restart reads at most those. Between the two, gaps are drawn straight: a
    /// fill there had cost a restart over up to 10,000 values, 5.5 s to read 8,000 values missing two of every five (a
    /// review), and a backtest reads each origin's history so.
    /// </summary>
    bool FillAffordable(int read) => Statistics is null || read < HeadFillLimit || read >= StatisticalState.HeadLength(Statistics);

    /// <summary>Values of the members' head within which a gap is filled (each fill there restarts them over what they have read).</summary>
    public const int HeadFillLimit = 1000;

    /// <summary>The last input window's values (fewer where fewer are kept) before a trailing gap of <paramref name="gap"/>.</summary>
    ReadOnlySpan<float> ValuesBeforeGap(ReadOnlySpan<float> lastValues, int gap)
    {
        var before = lastValues[..Math.Max(0, lastValues.Length - gap)];
        return before[Math.Max(0, before.Length - InputWindow)..];
    }

    /// <summary>
    /// Widens one forecast's quantiles ([1 + Q, Horizon], encoded) for the <paramref name="gap"/> missing values it was forecast
    /// through: step t lies gap + t after the last observed value, so its offset from the mean grows by as much as the
    /// model's offsets grow from lead t to that lead. How they grow is their envelope over the lead (the largest offset up to
    /// each step, so a phase of the season with a narrow offset keeps its shape), and past the horizon the envelope's last
    /// value grown as (lead / horizon)^g, g the offsets' growth (<see cref="EnvelopeGrowth"/>; 0.5, a random walk's, for a
    /// horizon of one). Calibrated for leads 1 to the horizon from an observed value, the offsets had under-covered every step
    /// after a gap; a quantile is never narrowed. Offsets that do not grow over the horizon (a stable season with noise that
    /// does not accumulate) widen nothing.
    /// </summary>
    void WidenForGap(Span<float> row, int gap)
    {
        int s = Horizon;
        var mean = row[..s];
        Span<float> offsets = s <= 512 ? stackalloc float[s] : new float[s];
        Span<float> envelope = s <= 512 ? stackalloc float[s] : new float[s];
        for (int k = 0; k < _quantiles.Length; k++)
        {
            float level = _quantiles[k];
            if (level == 0.5f) continue;
            var band = row.Slice((1 + k) * s, s);
            float largest = 0;
            for (int t = 0; t < s; t++)
            {
                offsets[t] = band[t] - mean[t];
                envelope[t] = largest = MathF.Max(largest, MathF.Abs(offsets[t]));
            }
            double growth = EnvelopeGrowth(envelope, offsets, SeasonLength);
            for (int t = 0; t < s; t++)
            {
                int lead = gap + t + 1;
                double reach = lead <= s ? envelope[lead - 1] : envelope[s - 1] * Math.Pow((double)lead / s, growth);
                if (!(envelope[t] > 0)) continue;
                float widened = mean[t] + offsets[t] * (float)(reach / envelope[t]);
                if (!float.IsFinite(widened)) continue;
                band[t] = level < 0.5f ? MathF.Min(band[t], widened) : MathF.Max(band[t], widened);
            }
        }
    }

    /// <summary>
    /// The exponent g of offsets growing as lead^g, within [0, 1]: from one step of the last season's phase to the horizon's
    /// last step, where the horizon holds more than a season (the envelope would count the phases' differences as growth),
    /// else from the envelope's middle to its end; 0.5 where they cannot tell.
    /// </summary>
    static double EnvelopeGrowth(ReadOnlySpan<float> envelope, ReadOnlySpan<float> offsets, int season)
    {
        int s = envelope.Length;
        if (season > 1 && season < s)
        {
            float last = Math.Abs(offsets[s - 1]), earlier = Math.Abs(offsets[s - 1 - season]);
            return last > 0 && earlier > 0 ? Math.Clamp(Math.Log(last / earlier) / Math.Log((double)s / (s - season)), 0, 1) : 0.5;
        }
        int middle = (s + 1) / 2;
        if (s < 2 || !(envelope[middle - 1] > 0)) return 0.5;
        return Math.Clamp(Math.Log(envelope[s - 1] / envelope[middle - 1]) / Math.Log((double)s / middle), 0, 1);
    }

    /// <summary>
    /// Settles the <paramref name="count"/> missing values after the last observed one with the model's own mean forecasts
    /// from the values before them, a horizon at a time, as a state-space model forecasts through missing observations.
    /// Carried forward, the last value had stood for every missing one: a quarterly season 10, 20, 30, 20 whose last 20 was
    /// missing was forecast 12.3, 22.9, 33.8, 23.4 where it is 10, 20, 30, 20, the 0.1-0.9 interval of the first step 11.5-13.0.
    /// Where fewer than a window's values precede the gap, the classical members fill it until the network can read one
    /// (<see cref="ClassicalFill"/>).
    /// </summary>
    /// <param name="values">Where given (as long as the gap), receives the values the gap is filled with.</param>
    void FillTrailingGap(SeriesState settled, int count, Span<float> values = default)
    {
        int keep = Math.Max(InputWindow, 2), done = 0;
        // Fewer values before the gap than the window holds (a history of 40 whose last 9 are missing, window 32): the
        // network cannot read them, so the classical members, which read any length, fill the gap until it can. This had
        // failed the request with .NET's "Non-negative number required." though at most half of the last window was missing.
        if (count > 0 && settled.Tail.Count < InputWindow)
        {
            var fill = ClassicalFill(settled, Math.Min(count, InputWindow - settled.Tail.Count));
            foreach (var value in fill)
            {
                Commit(settled, value, keep);
                if (!values.IsEmpty) values[done] = value;
                done++;
            }
            count -= fill.Length;
        }
        while (count > 0)
        {
            var prepared = OfSeries(PrepareSettled(settled, settled, null, Horizon, "series"), settled.SeriesId);
            var (output, scaling) = RunPrepared([prepared], default);
            var (level, scale) = scaling[0];
            for (int t = 0, n = Math.Min(count, Horizon); t < n; t++, count--)
            {
                // The mean's row comes first; on the model's scale, as the state holds its values (a non-finite one: the last).
                float value = level + scale * output[t];
                if (!float.IsFinite(value)) value = settled.Tail[^1];
                // A closed phase is filled closed, so a missing last Sunday does not reopen the Sundays after it.
                else if (prepared.Fixed is { } fixedSteps && !float.IsNaN(fixedSteps[t])) value = fixedSteps[t];
                else if (prepared.ClampAtZero && Transform == SeriesTransform.None && value < 0) value = 0;
                value = WithinUpperBound(value);
                Commit(settled, value, keep);
                if (!values.IsEmpty) values[done] = value;
                done++;
            }
        }
    }

    /// <summary>
    /// The next <paramref name="steps"/> values after <paramref name="settled"/> by the classical members' mix (their
    /// weights, the series' own where it names one that has them, the network's and the highway's left out: both read a
    /// whole window), or the last value carried forward where the model has no members.
    /// </summary>
    float[] ClassicalFill(SeriesState settled, int steps)
    {
        var fill = new float[steps];
        float last = settled.Tail[^1];
        if (Statistics is null || settled.Statistics is null) { Array.Fill(fill, last); return fill; }
        var members = new double[StatisticalEnsemble.MemberCount * steps];
        settled.Statistics.Forecast(Statistics, steps, members, HeadUnit(settled).Scale);
        var weights = new double[StatisticalEnsemble.MemberCount];
        var mix = settled.SeriesId is { } id && SeriesMixWeights?.GetValueOrDefault(id) is { } own ? own : Statistics.Weights;
        for (int j = 0; j < weights.Length; j++) weights[j] = mix[1 + j];
        double total = weights.Sum();
        bool clamp = ReadsNonNegative(CollectionsMarshal.AsSpan(settled.Tail), null) && Transform == SeriesTransform.None;
        for (int t = 0; t < steps; t++)
        {
            double value = 0;
            for (int j = 0; j < weights.Length; j++) value += (total > 0 ? weights[j] / total : 1.0 / weights.Length) * members[j * steps + t];
            fill[t] = double.IsFinite(value) ? (float)value : last;
            if (clamp && fill[t] < 0) fill[t] = 0;
            fill[t] = WithinUpperBound(fill[t]);
        }
        return fill;
    }

    /// <summary>
    /// A value on the model's scale clamped at <see cref="UpperBound"/> on that scale, as the forecast it fills a gap with
    /// is; a model whose scale is the series less its covariates' effect leaves it as it is (the bound is the series').
    /// </summary>
    float WithinUpperBound(float value)
    {
        if (UpperBound is not { } bound || CovariateLevels is not null || !float.IsFinite(value)) return value;
        if (Transform == SeriesTransform.Log) return bound > 0 && value > MathF.Log(bound) ? MathF.Log(bound) : value;
        return value > bound ? bound : value;
    }
}

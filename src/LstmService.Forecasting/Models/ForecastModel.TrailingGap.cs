using LstmService.Forecasting.Statistics;
using System.Runtime.InteropServices;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

public sealed partial class ForecastModel
{
    /// <summary>
    /// Settles the <paramref name="count"/> missing values after the last observed one with the model's own mean forecasts
    /// from the values before them, a horizon at a time, as a state-space model forecasts through missing observations.
    /// Carried forward, the last value had stood for every missing one: a quarterly season 10, 20, 30, 20 whose last 20 was
    /// missing was forecast 12.3, 22.9, 33.8, 23.4 where it is 10, 20, 30, 20, the 0.1-0.9 interval of the first step 11.5-13.0.
    /// Where fewer than a window's values precede the gap, the classical members fill it until the network can read one
    /// (<see cref="ClassicalFill"/>).
    /// </summary>
    void FillTrailingGap(SeriesState settled, int count)
    {
        int keep = Math.Max(InputWindow, 2);
        // Fewer values before the gap than the window holds (a history of 40 whose last 9 are missing, window 32): the
        // network cannot read them, so the classical members, which read any length, fill the gap until it can. This had
        // failed the request with .NET's "Non-negative number required." though at most half of the last window was missing.
        if (count > 0 && settled.Tail.Count < InputWindow)
        {
            var fill = ClassicalFill(settled, Math.Min(count, InputWindow - settled.Tail.Count));
            foreach (var value in fill) Commit(settled, value, keep);
            count -= fill.Length;
        }
        while (count > 0)
        {
            var prepared = PrepareSettled(settled, settled, null, Horizon, "series");
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
            }
        }
    }

    /// <summary>
    /// The next <paramref name="steps"/> values after <paramref name="settled"/> by the classical members' mix (their
    /// weights, the network's and the highway's left out: both read a whole window), or the last value carried forward
    /// where the model has no members.
    /// </summary>
    float[] ClassicalFill(SeriesState settled, int steps)
    {
        var fill = new float[steps];
        float last = settled.Tail[^1];
        if (Statistics is null || settled.Statistics is null) { Array.Fill(fill, last); return fill; }
        var members = new double[StatisticalEnsemble.MemberCount * steps];
        settled.Statistics.Forecast(Statistics, steps, members, HeadUnit(settled).Scale);
        var weights = new double[StatisticalEnsemble.MemberCount];
        for (int j = 0; j < weights.Length; j++) weights[j] = Statistics.Weights[1 + j];
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

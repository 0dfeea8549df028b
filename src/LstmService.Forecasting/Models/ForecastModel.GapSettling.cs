using System.Runtime.InteropServices;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

// How an appended value settles the gap before it: filled back before the first value, drawn straight, or filled with the
// model's forecasts where a value closes a gap the model fills (FillsClosedGap).
public sealed partial class ForecastModel
{
    /// <summary>
    /// Whether an observed value closes a gap that <see cref="FillsClosedGap"/> may fill, the window before it aside (that
    /// depends on the gaps filled before it): the others are read in one pass.
    /// </summary>
    bool ClosesFillableGap(ReadOnlySpan<float> values)
    {
        if (_covariates.Length > 0) return false;
        int first = -1;
        for (int t = 0, run = 0; t < values.Length; t++)
        {
            if (float.IsNaN(values[t])) { run++; continue; }
            if (first >= 0 && run > 0 && FillsClosedGap(run, t - run - first, () => 0)) return true;
            if (first < 0) first = t;
            run = 0;
        }
        return false;
    }

    /// <summary>
    /// Settles the gap before the observed <paramref name="value"/> at index <paramref name="i"/> as
    /// <see cref="SeriesMath.FillGaps"/> fills it: the first observed value before the first one, else the straight line
    /// from the last observed value (the same float expression, on index differences).
    /// </summary>
    static void FillUpTo(int settled, float previous, int i, float value, Action<float> settle)
    {
        int last = settled - 1;
        if (last < 0)
        {
            for (int j = 0; j < i; j++) settle(value);
            return;
        }
        for (int j = last + 1; j < i; j++) settle(previous + (value - previous) * (j - last) / (i - last));
    }

    /// <summary>
    /// Settles a gap that the value now appended closes (<see cref="FillsClosedGap"/>) with the classical members' mix of
    /// forecasts from the values before it (<see cref="ClassicalFill"/>; the model's own forecasts, a network pass per
    /// horizon, where it has no members); the window keeps them in the gap's place, so the rule that at most half of a window
    /// may be missing reads the gap as filled from then on, as <see cref="MissingBefore"/> reads it in values as given. The
    /// members fill as well as the network and cost no pass: with the network, 100,000 values missing two of every five had
    /// taken 970 ms to read, where they take 175 ms (38 ms without gaps).
    /// </summary>
    void SettleFilledGap(SeriesState state, float value, int keep)
    {
        int gap = state.Pending;
        // The value before the gap is judged against the one after it, as it would be against its next neighbour: a glitch
        // there (5000 among values of 50) had been filled from, 4628 and 3036 where 50 was due (a review).
        if (state.Held is { } held)
        {
            Commit(state, Judged(state, held, value), keep, given: held);
            state.Held = null;
        }
        var fill = new float[gap];
        if (Statistics is not null && state.Statistics is not null)
        {
            ClassicalFill(state, gap).CopyTo(fill, 0);
            foreach (var v in fill) Commit(state, v, keep);
        }
        else FillTrailingGap(state, gap, fill);
        fill.CopyTo(CollectionsMarshal.AsSpan(state.Window)[^gap..]);
    }

    /// <summary>A value before the history's first observed one, filled back with it: in the tail alone (<see cref="SeriesState.Lead"/>).</summary>
    static void SettleLead(SeriesState state, float filled, int keep)
    {
        SeriesState.Push(state.Tail, filled, keep);
        state.Lead++;
    }

    static void SettleCovariate(CovariateState track, float filled, int keep)
    {
        SeriesState.Push(track.Tail, filled, keep);
        track.Scale.Add(filled);
    }
}

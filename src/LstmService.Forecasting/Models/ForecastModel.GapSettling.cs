using System.Runtime.InteropServices;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
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
        SeriesState? beforeHeld = null;
        float judged = float.NaN;
        // The value before the gap is judged against the one after it, as it would be against its next neighbour: a glitch
        // there (5000 among values of 50) had been filled from, 4628 and 3036 where 50 was due (a review).
        if (state.Held is { } held)
        {
            judged = Judged(state, held, value);
            if (MayFollowChange(state, judged)) beforeHeld = state.Clone();
            Commit(state, judged, keep, given: held);
            state.Held = null;
        }
        var fill = new float[gap];
        if (Statistics is not null && state.Statistics is not null)
        {
            var members = ClassicalFill(state, gap + 1);
            (AcrossChange(beforeHeld, judged, value, members[gap]) ?? members.AsSpan(0, gap)).CopyTo(fill);
            foreach (var v in fill) Commit(state, v, keep);
        }
        else FillTrailingGap(state, gap, fill);
        fill.CopyTo(CollectionsMarshal.AsSpan(state.Window)[^gap..]);
    }

    /// <summary>
    /// Whether the value before a gap, <paramref name="before"/> as judged, may begin a change of level that the gap's
    /// closing value confirms (<see cref="AcrossChange"/>): past the members' head, where it lies <see cref="ChangeAcrossGap"/>
    /// of the history's mean absolute steps from the smoothing's expectation (which costs no forecast: the members' forecast
    /// for every gap had taken a history of 100,000 values missing two of every five from 60 ms to 110 ms); within the head
    /// always (what is expected there is the season's change from the value before, which a change two values old already
    /// shows). A history that tells no glitch yet (too few values, mostly flat ones) tells no such change either.
    /// </summary>
    bool MayFollowChange(SeriesState state, float before) =>
        Statistics is not null && state.Statistics is not null && Expectation(state) is { } smoothing
        && (state.Statistics.Head is not null || Math.Abs(before - smoothing.Held) >= ChangeAcrossGap * state.Scale.GivenScale());

    /// <summary>
    /// The fill of a gap whose two ends both moved away from what the classical members expected before it, by about as
    /// much and by <see cref="ChangeAcrossGap"/> of the history's mean absolute steps at least: a change of level just before
    /// the gap. The members' forecasts from before its first end are moved by the straight line from that end's surprise to
    /// the closing value's. Filled at the old level, two missing days after a daily series rose by 40 had been read as values
    /// back at it: the change was read at 25-28 of its 40, or not at all (106 where 140 came) until a day later (a QA pass).
    /// Null where the ends do not agree so, and the members' fill from after the first end stands (a look-ahead bridge on
    /// every gap was measured and not kept, README "Gaps that a value closes").
    /// </summary>
    /// <param name="beforeHeld">The state before the gap's first end was committed (<see cref="MayFollowChange"/>), else null.</param>
    /// <param name="before">The gap's first end, as judged (a glitch there is replaced, and so shows no surprise).</param>
    /// <param name="after">The value that closes the gap.</param>
    /// <param name="filled">The members' forecast of <paramref name="after"/> from after the first end: a closing value near it
    /// confirms nothing, and costs no second forecast.</param>
    float[]? AcrossChange(SeriesState? beforeHeld, float before, float after, float filled)
    {
        if (beforeHeld is null) return null;
        int gap = beforeHeld.Pending;
        double least = ChangeAcrossGap * beforeHeld.Scale.GivenScale();
        if (!(Math.Abs(after - filled) >= least)) return null;
        var expected = ClassicalFill(beforeHeld, gap + 2);
        double into = before - expected[0], outOf = after - expected[gap + 1];
        if (!(Math.Abs(into) >= least) || Math.Sign(into) != Math.Sign(outOf) || !(Math.Abs(outOf - into) < Math.Abs(into) / 2)) return null;
        bool clamp = ReadsNonNegative(CollectionsMarshal.AsSpan(beforeHeld.Tail), null) && Transform == SeriesTransform.None;
        var fill = new float[gap];
        for (int j = 1; j <= gap; j++)
        {
            float value = (float)(expected[j] + into + (outOf - into) * j / (gap + 1));
            if (clamp && value < 0) value = 0;
            fill[j - 1] = float.IsFinite(value) ? WithinUpperBound(value) : expected[j];
        }
        return fill;
    }

    /// <summary>The surprise, in the history's mean absolute steps, that both ends of a gap show for <see cref="AcrossChange"/>.</summary>
    const double ChangeAcrossGap = 4;

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

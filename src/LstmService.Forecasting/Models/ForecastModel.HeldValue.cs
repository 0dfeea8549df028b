using System.Runtime.InteropServices;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

// The last settled value held back until the next one tells an isolated glitch from a change (SeriesState.Held).
public sealed partial class ForecastModel
{
    /// <summary>
    /// The mean absolute steps of its history (about 6.4 standard deviations of normal steps) that a glitch's surprise, in
    /// and out, exceeds at least: as far out as the 5 robust deviations of the spikes training leaves out of the members' fit.
    /// </summary>
    const double GlitchSteps = 8;

    /// <summary>
    /// Values a history has settled before a glitch is told in it (the fourth value is the first judged): its unit is the
    /// mean of its steps so far, two of them at least. With eight, a glitch among a history's first values had set the members' initial states (the head's spikes are
    /// told by a season's changes, which its first season lacks) and the unit: 0-1,300 where the level is 50.
    /// </summary>
    const int MinimumForGlitch = 3;

    /// <summary>
    /// Settles the next gap-filled value of a history: the value held before it is judged with it (<see cref="Judged"/>) and
    /// committed, and this one is held in its place. A model that tells no glitches (<see cref="TellsGlitches"/>) commits
    /// every value as it comes.
    /// </summary>
    void SettleTarget(SeriesState state, float filled, int keep)
    {
        if (!TellsGlitches) { Commit(state, filled, keep); return; }
        if (state.Held is { } held) Commit(state, Judged(state, held, filled), keep, given: held);
        state.Held = filled;
    }

    /// <summary>
    /// Adds a settled value (a glitch as it is read) to the last values, the members' filters and the scaling's sums: a model
    /// that tells glitches was trained in the unit of its series without its spikes (<see cref="Training.ForecastTrainer.ScalingStatistics"/>),
    /// so a history's unit leaves its glitches out too, its floor as well; the steps a glitch is judged by count the value
    /// <paramref name="given"/> (NaN: the value itself).
    /// </summary>
    void Commit(SeriesState state, float filled, int keep, float given = float.NaN)
    {
        SeriesState.Push(state.Tail, filled, keep);
        state.Scale.Add(filled, given);
        if (state.Statistics is not { } members) return;
        var head = members.Head;
        members.Add(Statistics!, filled);
        if (RecountsOpening) RecountOpening(state, head);
    }

    /// <summary>Values from the first of a history that its unit is recounted over at least (<see cref="RecountOpening"/>).</summary>
    const int OpeningLength = 8;

    /// <summary>
    /// Recounts the unit's steps of a history's first values without their spikes, once: the members' head when it is fixed
    /// (the members read it so), or, where the head is shorter than <see cref="OpeningLength"/> values (a series the smoothing
    /// follows closely, α near 1), the first of them once there are as many (the tail's last values then: it holds the input
    /// window's at least). Those values are committed before any is judged (<see cref="MinimumForGlitch"/>).
    /// </summary>
    void RecountOpening(SeriesState state, List<double>? headBefore)
    {
        int opening = Math.Min(OpeningLength, Math.Max(InputWindow, 2)), head = StatisticalState.HeadLength(Statistics!);
        var members = state.Statistics!;
        if (headBefore is not null && members.Head is null && headBefore.Count >= opening)
        {
            var given = CollectionsMarshal.AsSpan(headBefore);
            state.Scale.Recount(given, StatisticalState.SpikeFreeHead(Statistics!, given));
        }
        else if (state.Scale.Count == opening && members.Head is null && head < opening)
        {
            // The members read the head alone without its spikes (too few values to tell one): the autoregression's drift
            // from the first value and its sum now read the opening so, as the unit does.
            // The scaling's values are the tail's last (leading values filled back come before them, SeriesState.Lead).
            var counted = state.Tail.Skip(state.Tail.Count - opening).Select(v => (double)v).ToArray();
            var read = StatisticalState.SpikeFreeHead(Statistics!, counted);
            var readByHead = StatisticalState.SpikeFreeHead(Statistics!, counted.AsSpan(0, head));
            state.Scale.Recount(counted, read);
            for (int t = 0; t < opening; t++) members.Sum += read[t] - (t < head ? readByHead[t] : counted[t]);
            members.First = read[0];
        }
    }

    /// <summary>
    /// Whether this model tells a history's glitches (<see cref="Judged"/>) and leaves its head's spikes out of its unit: one
    /// with classical members whose autoregression has a step limit, on window-level scaling. One without members, a global
    /// model, one stored before the limit existed, or one on another scaling (whose unit measures levels, not steps) reads
    /// every value as given.
    /// </summary>
    bool TellsGlitches => Statistics is not null && double.IsFinite(Statistics.Autoregression.StepLimit) && Scaling == ScalingMode.WindowLevel;

    /// <summary>
    /// Whether the unit of a history's first values is recounted as the members read them (<see cref="RecountOpening"/>):
    /// every model with classical members on window-level scaling, a global one too, whose members read the head without its
    /// spikes as well. A typo as the first value of a history forecast by a model of three series had made its intervals 17
    /// times as wide. (A global model tells no glitch after its first values: its network and highway were trained on its
    /// series as given.)
    /// </summary>
    bool RecountsOpening => Statistics is not null && Scaling == ScalingMode.WindowLevel;

    /// <summary>
    /// The scaling of a settled state. A model that tells glitches was trained in the unit of its series without its spikes
    /// (<see cref="Training.ForecastTrainer.ScalingStatistics"/>); a history's values from the fourth on are judged as they
    /// come, and its first values, which the members read without their spikes, are recounted so once (<see cref="RecountOpening"/>),
    /// or here while a history is all head. A typo among the first three values had made the intervals ten times as wide.
    /// </summary>
    (float Center, float Scale) HeadUnit(SeriesState settled)
    {
        if (!RecountsOpening || settled.Statistics?.Head is not { } head) return settled.Scale.Result();
        var scale = settled.Scale.Clone();
        var given = CollectionsMarshal.AsSpan(head);
        scale.Recount(given, StatisticalState.SpikeFreeHead(Statistics!, given));
        return scale.Result();
    }

    /// <summary>
    /// <paramref name="held"/>, or the smoothing's one-step forecast in its place when it was an isolated glitch: its
    /// surprise (the value less that forecast) and the next value's (its change from the held value less the change the
    /// smoothing expected) both lie beyond the autoregression's step limit (the largest ordinary step of the training series,
    /// in this history's unit), on opposite sides. A change of level moves once and stays, so the second surprise is small;
    /// a season's peak is what the smoothing expects. Training fits the members without such glitches
    /// (<see cref="OutlyingSteps.WithoutSpikes"/>) and their initial states read the history's head without them, but the
    /// values after the head were read as given: one value of 5,000 in a history about 50 two steps from its end had
    /// made the forecast 190-390 through the network's and the highway's window, and a typo of 2,000 in a monthly series
    /// about 200 came back a season later in the smoothing's seasonal state. While the head is read (the members' initial
    /// states), the expectation is the value before moved by the season's change a season earlier, and a glitch becomes
    /// the mean of what its neighbours make of it. The steps are those of the values as given
    /// (<see cref="ScaleAccumulator.GivenScale"/>); a history mostly of zero steps tells none (<see cref="ScaleAccumulator.MostlyFlat"/>).
    /// </summary>
    float Judged(SeriesState state, float held, float next)
    {
        if (Expectation(state) is not { } expected) return held;
        double into = held - expected.Held, outOf = next - held - (expected.Next - expected.Held);
        // The next value must also come back nearer what was expected of it than the held one was: a week after a step of ten
        // times the level, the smoothing's seasonal states had taken up a share of it at one phase, so the change expected
        // into the next value was large, and a value at the new level read as a glitch replaced by the old one (a QA pass:
        // +1,000 on a series about 100 forecast 500-1,000 too low for weeks).
        bool glitch = Math.Abs(into) > expected.Limit && Math.Abs(outOf) > expected.Limit && Math.Sign(into) != Math.Sign(outOf)
            && Math.Abs(next - expected.Next) < Math.Abs(into) / 2;
        if (!glitch) return held;
        double replaced = state.Statistics!.Head is not null ? 0.5 * (expected.Held + next - (expected.Next - expected.Held)) : expected.Held;
        return double.IsFinite(replaced) ? (float)replaced : held;
    }

    /// <summary>
    /// What the held value and the one after it were expected to be (<see cref="Judged"/>: the smoothing's forecasts, or the
    /// season's changes while the head is read) and the limit a glitch's surprise exceeds; null where the history tells no
    /// glitch yet (too few values, mostly flat ones).
    /// </summary>
    (double Held, double Next, double Limit)? Expectation(SeriesState state)
    {
        var members = state.Statistics!;
        // A few values tell no unit yet.
        if (state.Scale.Count < MinimumForGlitch) return null;
        // Judged in the steps of the values as given: in the unit that leaves glitches out, each glitch read made the next
        // one likelier (ScaleAccumulator.GivenScale). Equal values so far tell no unit either.
        double unit = state.Scale.GivenScale();
        if (!(unit > 0) || state.Scale.MostlyFlat()) return null;
        Span<double> expected = stackalloc double[2];
        double stepLimit = Statistics!.Autoregression.LimitFor(unit);
        // The step limit in this history's unit, and never below GlitchSteps of its mean absolute steps: a glitch in the
        // training series had inflated the unit the limit was measured in thirtyfold, and a history without one then read
        // its ordinary noise as glitches.
        double limit = Math.Max(stepLimit, GlitchSteps * unit);
        if (members.Head is { } head)
        {
            // While the initial states are still read from the head (a flat series' whole history), the members read the
            // head without its spikes already, but the network and the highway read the last values: there the expectation
            // is the value before moved by the change a season before (the season's differences, as training's spikes are
            // told), and a glitch is replaced by the mean of what its neighbours make of it.
            int m = StatisticalState.SpikePeriod(Statistics);
            bool seasonKnown = m == 1;
            double before = 0, after = 0;
            if (m > 1 && head.Count > m)
            {
                before = head[^m] - head[^(m + 1)];
                after = head[^(m - 1)] - head[^m];
                // A season's change beyond the limit is a glitch's that was read as given (among the first values, or below the
                // first season's bar): taken as the season's, it made a good value a season later a glitch, replaced by a copy.
                seasonKnown = !(Math.Abs(before) > limit || Math.Abs(after) > limit);
                if (!seasonKnown) before = after = 0;
            }
            double previous = head[^1];
            expected[0] = previous + before;
            expected[1] = expected[0] + after;
            // In the first season nothing tells a season's peak from a glitch but its size: GlitchSteps of the largest
            // ordinary step of the training series. Read there as glitches, a monthly series' Decembers 60 above its season
            // (a history's first months hold no December, so its unit was a third of the training series') were each
            // replaced in turn, every one judged against the last one replaced.
            if (!seasonKnown) limit = GlitchSteps * Math.Max(stepLimit, unit);
        }
        else Statistics.Smoothing.Forecast(new FilterState(members.Level, members.Trend, members.Seasonal, members.Count), expected);
        return (expected[0], expected[1], limit);
    }

    /// <summary>
    /// What the held value was expected to be (<see cref="Expectation"/>) where it lies beyond a glitch's limit from that,
    /// else null. Nothing after it tells a glitch from a change yet, so a forecast's intervals cover both readings
    /// (<see cref="Prepared.Alternative"/>, <see cref="BothReadings"/>).
    /// </summary>
    float? SurprisingHeld(SeriesState state)
    {
        if (!TellsGlitches || state.Held is not { } held || Expectation(state) is not { } expected) return null;
        return Math.Abs(held - expected.Held) > expected.Limit && float.IsFinite((float)expected.Held) ? (float)expected.Held : null;
    }

    /// <summary>
    /// <paramref name="state"/> with its held value committed as <paramref name="held"/> (the held value itself, or what it was
    /// expected to be) and its trailing gap filled, on a copy (the state itself where there is neither).
    /// </summary>
    SeriesState Settled(SeriesState state, float? held)
    {
        if (state.Pending == 0 && state.Held is null) return state;
        if (held is null != state.Held is null) throw new ArgumentException("A held value is committed as itself or as its expectation.", nameof(held));
        var settled = state.Clone();
        if (held is { } value && state.Held is { } given)
        {
            Commit(settled, value, Math.Max(InputWindow, 2), given: value == given ? float.NaN : given);
            settled.Held = null;
        }
        if (_covariates.Length == 0) FillTrailingGap(settled, state.Pending);
        else
        {
            float last = settled.Tail[^1];
            for (int j = 0; j < state.Pending; j++) Commit(settled, last, Math.Max(InputWindow, 2));
        }
        return settled;
    }

    /// <summary>
    /// The forecast of a history whose last value is surprising (<see cref="SurprisingHeld"/>), from its two readings: as
    /// given, which sets the mean and the median as before, and as what it was expected to be, which the interval reaches
    /// too (the lower of the two readings' lower quantiles, the higher of their upper ones). The next value tells a glitch
    /// from a change, and until then either may hold: read as given alone, a typo of 50 times the level as the last of 36
    /// monthly values had put the 0.1 quantile of most steps ten times above every earlier value. Averaging the two
    /// readings' means was measured and not kept: a stock price's real jumps (goog200 6.182 -> 6.470).
    /// </summary>
    static SeriesForecast BothReadings(SeriesForecast given, SeriesForecast expected)
    {
        var quantiles = new Dictionary<float, float[]>(given.Quantiles.Count);
        foreach (var (level, a) in given.Quantiles)
        {
            var b = expected.Quantiles[level];
            var band = a.ToArray();
            // A reading that overflowed (NaN, infinite) widens nothing: the forecast as given stands.
            for (int t = 0; t < band.Length; t++)
                if (float.IsFinite(b[t])) band[t] = level < 0.5f ? MathF.Min(a[t], b[t]) : level > 0.5f ? MathF.Max(a[t], b[t]) : a[t];
            quantiles[level] = band;
        }
        return new SeriesForecast(given.Mean, quantiles, given.ClampedAtZero);
    }
}

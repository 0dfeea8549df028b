using LstmService.Forecasting.Statistics;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A lasting change of level in a history has the classical members read the values before it at the new level
/// (<see cref="LevelShiftWatch"/>): a QA pass's daily series had moved from 100 to 140 three weeks before its forecast, and
/// the members, fitted on a flat history, forecast 105-130 with none of the next 14 values inside the 0.1-0.9 interval.
/// </summary>
public class LevelShiftTests
{
    const int Season = 7;

    /// <summary>A weekly pattern about 100 with noise 2, the last <paramref name="shifted"/> values <paramref name="shift"/> higher; <paramref name="walk"/> moves the level as a random walk.</summary>
    internal static double[] Weekly(int length, int shifted, double shift, ulong seed, double walk = 0)
    {
        var rng = new SeededRandom(seed);
        double level = 100;
        return Enumerable.Range(0, length).Select(t =>
        {
            level += walk * rng.NextGaussian();
            return level + 10 * Math.Sin(2 * Math.PI * t / Season) + 2 * rng.NextGaussian() + (t >= length - shifted ? shift : 0);
        }).ToArray();
    }

    static double[] MemberForecasts(StatisticalEnsemble ensemble, double[] history, int steps)
    {
        var output = new double[StatisticalEnsemble.MemberCount * steps];
        ensemble.Forecast(history, steps, output);
        return output;
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(-30.0)]
    public void MembersFittedOnAFlatHistoryFollowALevelHeldForThreeSeasons(double shift)
    {
        var ensemble = StatisticalEnsemble.Fit([Weekly(159, 0, 0, 3)], [Season]);
        var history = Weekly(180, 21, shift, 3);
        const int steps = 14;
        var members = MemberForecasts(ensemble, history, steps);
        for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
        {
            // The weekly pattern averages to zero over two weeks: each member's mean is its level.
            double mean = members.AsSpan(j * steps, steps).ToArray().Average();
            Assert.InRange(mean, 100 + shift - 4, 100 + shift + 4);
        }
    }

    [Fact]
    public void AStreamAndAOneOffForecastAgreeAcrossAChangeOfLevel()
    {
        // A walking level gives the smoothing an α that follows it, so the history's end is past the head and the change is
        // read value by value; the flat history is read whole.
        foreach (var (fit, history) in new[]
        {
            (Weekly(300, 0, 0, 4, walk: 1), Weekly(400, 30, 40, 4, walk: 1)),
            (Weekly(159, 0, 0, 3), Weekly(180, 21, 40, 3)),
        })
        {
            var ensemble = StatisticalEnsemble.Fit([fit], [Season]);
            var (whole, streamed) = MemberForecastPair.Of(ensemble, history, Season);
            Assert.Equal(whole, streamed);
            // Both read the change: each member's week is about the last week's level.
            double recent = history[^Season..].Average();
            for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
                Assert.InRange(whole.AsSpan(j * Season, Season).ToArray().Average(), recent - 6, recent + 6);
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.001)]
    public void MembersFollowAChangeValueByValueOnceTheSmoothingsInitialValuesAreRead(double thetaAlpha)
    {
        // A slow smoothing (α 0.05: its initial states read three weeks) and an autoregression on the levels around the
        // history's mean: 30 values after the change, the smoothing alone would still be 8 short and the autoregression 36.
        // Theta with the same α leaves the head at three weeks, and the watch reads the rest value by value; theta with α
        // 0.001 makes the head 1,000 values, which a forecast reads afresh, and the watch reads those past the smoothing's.
        var ensemble = new StatisticalEnsemble(new ExponentialSmoothing(false, false, Season, 0.05, 0, 0.05, 1), new ThetaMethod(thetaAlpha, Season, false),
            new DifferencedAutoregression([1], [0.5], differenced: false), [0.25f, 0.25f, 0.25f, 0.25f]);
        Assert.Equal(thetaAlpha > 0.01, StatisticalState.HeadLength(ensemble) < 400);
        var history = Weekly(400, 30, 40, 11);
        var (whole, streamed) = MemberForecastPair.Of(ensemble, history, 2 * Season);
        Assert.Equal(whole, streamed);
        for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
            Assert.InRange(whole.AsSpan(j * 2 * Season, 2 * Season).ToArray().Average(), 136, 144);
    }

    [Fact]
    public void ARunEditedFarBeyondTheValuesIsNoChange()
    {
        // A stream's exported run edited to sum a million (its peak with it): the last value's error says no such step is
        // there, so the members stay where the values are (an import had raised a series about 140 to 7,097).
        var ensemble = new StatisticalEnsemble(new ExponentialSmoothing(false, false, Season, 0.05, 0, 0.05, 1), new ThetaMethod(0.05, Season, false),
            new DifferencedAutoregression([1], [0.5], differenced: false), [0.25f, 0.25f, 0.25f, 0.25f]);
        var history = Weekly(300, 0, 0, 13);
        var state = StatisticalState.Create(ensemble);
        foreach (var y in history) state.Add(ensemble, y);
        int n = history.Length;
        state.Shifts.Up = new LevelShiftSide { Sum = LevelShiftWatch.Cap, Start = n - 6, Held = 6, Errors = 1e6, Peak = 6e5, PeakAt = n - 1 };
        Assert.Null(state.Problem(ensemble));
        state.Add(ensemble, 100);
        var output = new double[StatisticalEnsemble.MemberCount * Season];
        state.Forecast(ensemble, Season, output);
        Assert.All(output, v => Assert.InRange(v, 80, 120));
    }

    [Fact]
    public void RelevellingAStateEqualsReadingTheRaisedHistory()
    {
        var ensemble = StatisticalEnsemble.Fit([Weekly(300, 0, 0, 5, walk: 1)], [Season]);
        var history = Weekly(260, 0, 0, 6, walk: 1);
        int start = 230, last = history.Length - 1;
        const double shift = 7.5;
        var raised = history.Select((y, t) => t < start ? y + shift : y).ToArray();
        Assert.True(StatisticalState.HeadLength(ensemble) < start, "the change lies past the head");

        var state = StatisticalState.Build(ensemble, history);
        var expected = StatisticalState.Build(ensemble, raised);
        var recent = state.Recent.ToArray();
        state.RelevelBy(ensemble, last, start, shift, recent);

        Assert.Equal(expected.Level, state.Level, 1e-9);
        Assert.Equal(expected.Trend, state.Trend, 1e-9);
        for (int p = 0; p < Season; p++) Assert.Equal(expected.Seasonal[p], state.Seasonal[p], 1e-9);
        Assert.Equal(expected.First, state.First, 1e-9);
        Assert.Equal(expected.Sum, state.Sum, 1e-6);
        Assert.Equal(expected.Recent.Count, recent.Length);
        for (int i = 0; i < recent.Length; i++) Assert.Equal(expected.Recent[i], recent[i], 1e-9);
        for (int p = 0; p < expected.Theta.Weighted.Length; p++)
        {
            Assert.Equal(expected.Theta.Weighted[p], state.Theta.Weighted[p], 1e-9);
            Assert.Equal(expected.Theta.Sums[p], state.Theta.Sums[p], 1e-6);
            Assert.Equal(expected.Theta.TimeSums[p], state.Theta.TimeSums[p], 1e-3);
            Assert.Equal(expected.Theta.InitialSums[p], state.Theta.InitialSums[p], 1e-9);
        }
    }

    /// <summary>Standard normal errors, seeded.</summary>
    static double[] Noise(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextGaussian()).ToArray();
    }

    static List<LevelShiftRun> Runs(double[] errors, int run)
    {
        var watch = new LevelShiftWatch();
        var found = new List<LevelShiftRun>();
        for (int t = 0; t < errors.Length; t++)
            if (watch.Observe(t, errors[t], run) is { } r) found.Add(r);
        return found;
    }

    [Fact]
    public void TheWatchReportsARunThatHeldASeasonFromItsStart()
    {
        // A filter's errors go back to noise once its states are moved to the new level; these stay for 12 values.
        var errors = Noise(200, 7);
        for (int t = 150; t < 162; t++) errors[t] += 6;
        var run = Assert.Single(Runs(errors, Season));
        Assert.InRange(run.Start, 148, 151);
        // Reported once the sum had held a season past the threshold, a few values into the change.
        Assert.InRange(run.Errors / (150 + Season + 2 - run.Start), 4, 8);
        Assert.InRange(run.Peak, 6, 10);
        Assert.InRange(run.Unit, 0.6, 1.2);
    }

    [Theory]
    [InlineData(7UL)]
    [InlineData(8UL)]
    [InlineData(9UL)]
    public void NoisyValuesJustBeforeAStepDoNotStartTheChange(ulong seed)
    {
        // Two errors of two to three typical ones start the run; the change, and the errors its shift is read from, begin
        // with the step (read from the run's start, the values before it had been raised too, a dip the weekly lags repeat).
        var errors = Noise(200, seed);
        errors[148] = 2.0;
        errors[149] = 2.5;
        for (int t = 150; t < 162; t++) errors[t] += 8;
        // The first run (these errors stay where a filter's, moved to the new level, would go back to noise).
        var run = Runs(errors, Season)[0];
        Assert.Equal(150, run.Start);
        // Reported a season or so into the change: its errors are those from the step to then, without the two before it.
        Assert.Contains(Enumerable.Range(Season, 4), k => Math.Abs(errors.AsSpan(150, k).ToArray().Sum() - run.Errors) < 1e-9);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void TheWatchReportsNothingInLongNoise(ulong seed) => Assert.Empty(Runs(Noise(20000, seed), Season));

    [Theory]
    [InlineData(0.05, false)]
    [InlineData(0.73, false)]
    [InlineData(0.73, true)]
    public void ABurstIsNoChangeForASlowOrAQuickSmoothing(double alpha, bool rising)
    {
        // Three values 30 deviations high: a slow smoothing errs by about that for three values, a quick one once; the
        // watch may report a run, but the last value's error says no step is there, so nothing moves. Or a rise over four
        // values by 4 deviations each, then back: the quick smoothing's errors on the rise are no jump, and the fall, from
        // a watch whose sum the rise has raised, is none either (M4's W349 had read such a fall as a change of two thirds).
        var ensemble = new StatisticalEnsemble(new ExponentialSmoothing(false, false, Season, alpha, 0, 0.05, 1), new ThetaMethod(0.05, Season, false),
            new DifferencedAutoregression([1], [0.5], differenced: false), [0.25f, 0.25f, 0.25f, 0.25f]);
        var history = Weekly(300, 0, 0, 14);
        if (rising) for (int t = 260; t < 264; t++) history[t] += 8 * (t - 259);
        else for (int t = 260; t < 263; t++) history[t] += 60;
        var state = StatisticalState.Build(ensemble, history);
        Assert.Empty(state.Shifts.Changes);
        var output = new double[StatisticalEnsemble.MemberCount * Season];
        state.Forecast(ensemble, Season, output);
        for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
            Assert.InRange(output.AsSpan(j * Season, Season).ToArray().Average(), 95, 105);
    }

    [Fact]
    public void AQuickSmoothingsJumpIsAChangeTheAutoregressionNoLongerRepeats()
    {
        // The last 14 of 159 daily values 40 higher: fitted on them, the smoothing follows within two values (its α about
        // 0.7), so its errors hold the threshold for no season; the differenced autoregression had read the step in its
        // lags and forecast 20 above the new level.
        var history = Weekly(159, 14, 40, 2000);
        var ensemble = StatisticalEnsemble.Fit([history], [Season]);
        Assert.True(ensemble.Smoothing.Alpha > 0.3, $"a quick smoothing (α {ensemble.Smoothing.Alpha})");
        var state = StatisticalState.Build(ensemble, history);
        var change = Assert.Single(state.Shifts.Changes);
        Assert.InRange(change.Start, 144, 146);
        Assert.InRange(change.Shift, 34, 46);
        var output = new double[StatisticalEnsemble.MemberCount * 2 * Season];
        state.Forecast(ensemble, 2 * Season, output);
        for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
            Assert.InRange(output.AsSpan(j * 2 * Season, 2 * Season).ToArray().Average(), 134, 146);
    }

    [Fact]
    public void AHeadsStepIsFoundWhereItIsAndAsLargeAsItIs()
    {
        var errors = Noise(180, 8);
        for (int t = 0; t < 180; t++) errors[t] += t >= 159 ? 40 - 40 * 21 / 180.0 : -40 * 21 / 180.0;
        var (start, shift) = Assert.Single(LevelShiftWatch.InHead(errors, Season));
        Assert.Equal(159, start);
        Assert.InRange(shift, 39, 41);
        Assert.Empty(LevelShiftWatch.InHead(Noise(180, 9), Season));
        // A change five values old is found where it is; four old it is left for the next value (the search's edge, where a
        // later change would be read early and small); younger it is not looked for.
        foreach (int after in new[] { 2, 3, 4, 5, 6 })
        {
            var young = Noise(166, 11);
            for (int t = 166 - after; t < 166; t++) young[t] += 40;
            var found = LevelShiftWatch.InHead(young, Season);
            if (after <= LevelShiftWatch.MinimumRun) Assert.Empty(found);
            else Assert.Equal(166 - after, Assert.Single(found).Start);
        }
        Assert.Empty(LevelShiftWatch.InHead(Noise(3000, 10), Season));
    }

    [Fact]
    public void AHeadsStepsAreEachFoundWhereTheyAreAndAsLargeAsTheyAre()
    {
        // +40 at 120, +40 more at 150 (ten days apart at 140 and 150 too), and a step down after a step up: each change, with
        // its own size (the later part's mean less the earlier part's); a single split had read +40 then +80 as one of 56.
        foreach (var (first, second, up, then) in new[] { (120, 150, 40.0, 40.0), (140, 150, 40.0, 40.0), (100, 150, 40.0, -80.0) })
        {
            var errors = Noise(180, 12);
            for (int t = 0; t < 180; t++) errors[t] += (t >= first ? up : 0) + (t >= second ? then : 0);
            var found = LevelShiftWatch.InHead(errors, Season);
            Assert.Equal([first, second], found.Select(c => c.Start));
            Assert.InRange(found[0].Shift, up - 1.5, up + 1.5);
            Assert.InRange(found[1].Shift, then - 1.5, then + 1.5);
        }
        // Noise alone in parts of every size holds none; nor does one step's either side.
        for (ulong seed = 20; seed < 40; seed++)
        {
            Assert.Empty(LevelShiftWatch.InHead(Noise(60 + 10 * (int)(seed - 20), seed), Season));
            var step = Noise(200, seed);
            for (int t = 90; t < 200; t++) step[t] += 30;
            Assert.Equal(90, Assert.Single(LevelShiftWatch.InHead(step, Season)).Start);
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(5UL)]
    public void AChangeInAHeadReadWholeKeepsItsSizeAsTheHistoryGrows(ulong seed)
    {
        // A flat history's smoothing (α near 0) reads every value as its head; its seasonal states still take up a share γ of
        // each error (0.14, 0.11 and 0.09 for these seeds), so the step in its one-step errors faded period by period, and a
        // change of 40 had been read as 18-24 at 140 values after it (31-34 at 56).
        var model = Training.ForecastTrainer.Train([Array.ConvertAll(Weekly(159, 0, 0, seed), v => (float)v)], new Training.TrainingOptions { Horizon = 14 }).Model;
        bool log = model.Transform == SeriesTransform.Log;
        var ensemble = model.Statistics!;
        Assert.True(StatisticalState.HeadLength(ensemble) > 300, $"the head ({StatisticalState.HeadLength(ensemble)}) holds every history below");
        Assert.True(ensemble.Smoothing.Gamma > 0.05, $"the seasonal states adapt (γ {ensemble.Smoothing.Gamma})");
        foreach (int after in new[] { 7, 28, 56, 84, 140 })
        {
            var history = Weekly(159 + after, after, 40, seed).Select(v => log ? Math.Log(v) : v).ToArray();
            var change = Assert.Single(StatisticalState.Build(ensemble, history).Forecast(ensemble, 1, new double[StatisticalEnsemble.MemberCount]));
            Assert.Equal(159, change.Start);
            // On the log scale, the ratio's change at the level of 100.
            Assert.InRange(log ? 100 * Math.Exp(change.Shift) - 100 : change.Shift, 37, 43);
        }
    }

    [Fact]
    public void TwoChangesInAHeadReadWholeAreBothRead()
    {
        // +40 and, ten days later, +40 more (a QA pass: read as one change of 56.3, the forecast 162 against 180.5).
        var model = Training.ForecastTrainer.Train([Array.ConvertAll(Weekly(159, 0, 0, 1), v => (float)v)], new Training.TrainingOptions { Horizon = 14 }).Model;
        var ensemble = model.Statistics!;
        Assert.Equal(SeriesTransform.None, model.Transform);
        var history = Weekly(190, 31, 40, 1);
        for (int t = 169; t < 190; t++) history[t] += 40;
        var output = new double[StatisticalEnsemble.MemberCount * 14];
        var changes = StatisticalState.Build(ensemble, history).Forecast(ensemble, 14, output);
        Assert.Equal([159, 169], changes.Select(c => c.Start));
        Assert.All(changes, c => Assert.InRange(c.Shift, 36, 44));
        for (int j = 0; j < StatisticalEnsemble.MemberCount; j++)
            Assert.InRange(output.AsSpan(j * 14, 14).ToArray().Average(), 176, 184);
    }

    [Fact]
    public void AStepOfAThousandTimesTheLevelInAHeadIsOneChange()
    {
        // The smoothing's level drifts by α times its errors, huge ones before such a step: searched all at once, the drift
        // had been carved into seven false changes of 6-71 before the real one (a QA pass).
        var model = Training.ForecastTrainer.Train([Array.ConvertAll(Weekly(159, 0, 0, 1), v => (float)v)], new Training.TrainingOptions { Horizon = 14 }).Model;
        var ensemble = model.Statistics!;
        Assert.Equal(SeriesTransform.None, model.Transform);
        foreach (int after in new[] { 7, 14, 56 })
        {
            var change = Assert.Single(StatisticalState.Build(ensemble, Weekly(159 + after, after, 100_000, 1)).Forecast(ensemble, 1, new double[StatisticalEnsemble.MemberCount]));
            Assert.Equal(159, change.Start);
            Assert.InRange(change.Shift, 99_000, 101_000);
        }
    }

    [Fact]
    public void AStateWithoutItsWatchIsRefused()
    {
        var ensemble = StatisticalEnsemble.Fit([Weekly(159, 0, 0, 3)], [Season]);
        var state = StatisticalState.Build(ensemble, Weekly(180, 0, 0, 3));
        Assert.Null(state.Problem(ensemble));
        state.Shifts = null!;
        Assert.Contains("level-shift watch", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { Up = new LevelShiftSide { Sum = -1 } };
        Assert.Contains("level-shift watch's up.sum", state.Problem(ensemble));
        // Edits a stream could not have made: a run held longer than the history, a sum without a count, a run at rest.
        state.Shifts = new LevelShiftWatch { ErrorCount = 10, ErrorSum = 10, Down = new LevelShiftSide { Sum = 9, Start = 170, PeakAt = 175, Held = int.MaxValue } };
        Assert.Contains("level-shift watch's down.held", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { ErrorSum = 5 };
        Assert.Contains("errorSum", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { Up = new LevelShiftSide { Errors = 1e6 } };
        Assert.Contains("at rest", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { DownJumpAt = 180 };
        Assert.Contains("downJumpAt", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { UpJumpAt = -1 };
        Assert.Contains("upJumpAt", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { Up = new LevelShiftSide { Onset = 150 } };
        Assert.Contains("at rest", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { ErrorCount = 10, ErrorSum = 10, Down = new LevelShiftSide { Sum = 9, Start = 170, PeakAt = 175, Onset = 176, Held = 3 } };
        Assert.Contains("level-shift watch's down.onset", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { ErrorCount = 10, ErrorSum = 10, Down = new LevelShiftSide { Sum = 9, Start = 170, PeakAt = 175, Before = double.NaN, Held = 3 } };
        Assert.Contains("finite", state.Problem(ensemble));
        state.Shifts = new LevelShiftWatch { ErrorCount = 10, ErrorSum = 10, Down = new LevelShiftSide { Sum = 9, Start = 170, PeakAt = 175, Held = 3 } };
        Assert.Null(state.Problem(ensemble));
        // A head is read afresh by every forecast, which finds its changes afresh: a state with one lists none.
        state.Shifts = new LevelShiftWatch { Changes = [new(160, 2)] };
        Assert.Contains("head", state.Problem(ensemble));
    }

    [Fact]
    public void AStatesChangesAreChecked()
    {
        // The changes a forecast's window is raised by (180 values here, past the head): within the history, in order,
        // finite, not zero, a few.
        var ensemble = StatisticalEnsemble.Fit([Weekly(300, 0, 0, 5, walk: 1)], [Season]);
        var state = StatisticalState.Build(ensemble, Weekly(180, 0, 0, 6, walk: 1));
        Assert.Null(state.Head);
        state.Shifts = new LevelShiftWatch { Changes = [new(160, 2), new(170, -1)] };
        Assert.Null(state.Problem(ensemble));
        foreach (var changes in new List<LevelShiftChange>[] { null!, [new(170, 1), new(160, 1)], [new(160, 1), new(160, 2)], [new(0, 1)], [new(180, 1)],
            [new(170, double.NaN)], [new(170, 0)],
            [.. Enumerable.Range(100, LevelShiftWatch.ChangesKept + 1).Select(t => new LevelShiftChange(t, 1))] })
        {
            state.Shifts = new LevelShiftWatch { Changes = changes };
            Assert.Contains("level-shift watch's changes", state.Problem(ensemble));
        }
    }

    [Fact]
    public void TheWatchKeepsItsLastChanges()
    {
        var watch = new LevelShiftWatch();
        for (int t = 1; t <= LevelShiftWatch.ChangesKept + 3; t++) watch.Record(10 * t, t);
        Assert.Equal(LevelShiftWatch.ChangesKept, watch.Changes.Count);
        Assert.Equal(40, watch.Changes[0].Start);
        Assert.Equal(10 * (LevelShiftWatch.ChangesKept + 3), watch.Changes[^1].Start);
        var copy = watch.Clone();
        copy.Record(1000, 1);
        Assert.Equal(10 * (LevelShiftWatch.ChangesKept + 3), watch.Changes[^1].Start); // a clone's list is its own
    }
}

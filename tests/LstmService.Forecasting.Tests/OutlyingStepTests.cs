using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// One glitch is a pair of outlying steps. The season detector tests a series without its isolated ones, and the
/// differenced autoregression reads an outlying step no larger than the largest ordinary one the training series made.
/// </summary>
public class OutlyingStepTests
{
    /// <summary>A monthly sine two noise deviations high about 100, one value <paramref name="glitch"/> deviations off at a place the seed picks.</summary>
    static double[] SineWithGlitch(int length, double amplitude, double glitch, ulong seed)
    {
        var rng = new SeededRandom(seed);
        int at = rng.NextInt(length);
        return Enumerable.Range(0, length).Select(t => 100 + amplitude * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian() + (t == at ? glitch : 0)).ToArray();
    }

    [Fact]
    public void A_holidays_week_that_moves_with_the_calendar_is_a_season_not_a_glitch()
    {
        // Weekly from Monday 2022-01-03 to September 2024: the week starting 19-25 December comes 53 weeks after the last (a QA pass).
        var start = new DateTime(2022, 1, 3);
        var rng = new SeededRandom(5);
        var weeks = Enumerable.Range(0, 140).Select(w => start.AddDays(7 * w)).ToArray(); // to September 2024
        bool Christmas(DateTime monday) => monday is { Month: 12, Day: >= 19 and <= 25 };
        var y = weeks.Select((w, t) => 100 + 20 * Math.Sin(2 * Math.PI * t / 52.18) + 3 * rng.NextGaussian() + (Christmas(w) ? 80 : 0)).ToArray();
        var peaks = Enumerable.Range(0, 140).Where(t => Christmas(weeks[t])).ToArray();
        Assert.Equal(2, peaks.Length);
        Assert.Equal(53, peaks[1] - peaks[0]); // the calendar moved it
        // What the members are fitted on: each peak is in an edge period, the first year's or the last.
        double[] Fitted(double[] series) => OutlyingSteps.WithoutEdgePeriodSpikes(OutlyingSteps.WithoutSpikes(series, 52), 52);
        var cleaned = Fitted(y);
        Assert.All(peaks, t => Assert.Equal(y[t], cleaned[t]));

        // One week off in the middle of the second year is still a glitch.
        var glitched = y.ToArray();
        glitched[78] += 80;
        Assert.NotEqual(glitched[78], Fitted(glitched)[78]);
    }

    [Fact]
    public void FindsASeasonThatOneGlitchHid()
    {
        // 14 of these 100 before the isolated steps were taken out, 74 after (without the glitch, 244 of 300 such series).
        int found = Enumerable.Range(1, 100).Count(seed => SeasonDetector.Detect(SineWithGlitch(72, 2, 30, (ulong)seed)) is [12, ..]);
        Assert.True(found >= 60, $"The season of 12 was found in {found} of 100 series with a glitch.");
    }

    [Fact]
    public void NoiseWithAGlitchRarelyShowsASeason()
    {
        int found = Enumerable.Range(1, 300).Count(seed => SeasonDetector.Detect(SineWithGlitch(72, 0, 30, (ulong)seed)).Count > 0);
        Assert.True(found <= 9, $"A season in {found} of 300 series of noise with a glitch.");
    }

    [Fact]
    public void TheRecurringJumpsOfASharpSeasonAreNoOutliers()
    {
        // Each January's sales jump and fall back: two large steps a year, far beyond the others, but a season's.
        var rng = new SeededRandom(5);
        var y = Enumerable.Range(0, 96).Select(t => 100 + (t % 12 == 0 ? 60 : 0) + rng.NextGaussian()).ToArray();
        Assert.DoesNotContain(true, OutlyingSteps.IsolatedSteps(y, SeasonDetector.Candidates));
        Assert.Equal(y, OutlyingSteps.WithoutIsolatedSteps(y, SeasonDetector.Candidates));
        Assert.Equal(12, SeasonDetector.Detect(y)[0]);
    }

    [Fact]
    public void AGlitchIsReplacedByTheTypicalStep()
    {
        var y = Enumerable.Range(0, 40).Select(t => 10.0 + (t % 2)).ToArray(); // steps of +1 and -1
        y[20] = 500;
        var isolated = OutlyingSteps.IsolatedSteps(y, SeasonDetector.Candidates);
        Assert.Equal([19, 20], Enumerable.Range(0, isolated.Length).Where(t => isolated[t]));
        var cleaned = OutlyingSteps.WithoutIsolatedSteps(y, SeasonDetector.Candidates);
        Assert.Equal(y[..20], cleaned[..20]);
        Assert.All(cleaned, v => Assert.InRange(v, 8.0, 13.0));
    }

    /// <summary>Ten years of a quarterly season that grows with a trended level, with noise (every value positive).</summary>
    static double[] QuarterlyGrowing(ulong seed, int length = 40)
    {
        var rng = new SeededRandom(seed);
        double[] profile = [0.6, -0.2, -0.6, 0.2];
        return Enumerable.Range(0, length).Select(t => (100 + 3 * t) * (1 + 0.5 * profile[t % 4]) * (1 + 0.02 * rng.NextGaussian())).ToArray();
    }

    [Fact]
    public void ASpikeIsReplacedFromItsNeighboursAPeriodAway()
    {
        var clean = QuarterlyGrowing(4);
        var y = clean.ToArray();
        y[22] += 1500; // ten times the typical step, where the season's swings are about a hundred
        var cleaned = OutlyingSteps.WithoutSpikes(y, 4);
        Assert.InRange(cleaned[22], 0.9 * clean[22], 1.1 * clean[22]);
        Assert.Equal(y.Where((_, t) => t != 22), cleaned.Where((_, t) => t != 22));
        // The clean series loses nothing.
        Assert.Equal(clean, OutlyingSteps.WithoutSpikes(clean, 4));
    }

    [Fact]
    public void LevelShiftsRunsAndTheLastPeriodStayAsGiven()
    {
        var rng = new SeededRandom(8);
        var noise = Enumerable.Range(0, 120).Select(_ => rng.NextGaussian()).ToArray();
        // A level shift: one change, not a pair.
        var shifted = noise.Select((e, t) => 50 + e + (t >= 60 ? 40 : 0)).ToArray();
        Assert.Equal(shifted, OutlyingSteps.WithoutSpikes(shifted, 1));
        // A run of three high values (a holiday's hours) is an episode, not a glitch.
        var run = noise.Select((e, t) => 50 + e + (t is >= 60 and < 63 ? 40 : 0)).ToArray();
        Assert.Equal(run, OutlyingSteps.WithoutSpikes(run, 1));
        // A glitch as the last value has no change after it to tell it from a shift.
        var last = noise.Select((e, t) => 50 + e + (t == 119 ? 40 : 0)).ToArray();
        Assert.Equal(last, OutlyingSteps.WithoutSpikes(last, 1));
        // One value alone is a spike.
        var glitch = noise.Select((e, t) => 50 + e + (t == 60 ? 40 : 0)).ToArray();
        Assert.InRange(OutlyingSteps.WithoutSpikes(glitch, 1)[60], 45, 55);
    }

    [Fact]
    public void A_spike_in_the_first_or_last_period_is_replaced_from_the_value_a_period_away()
    {
        var clean = QuarterlyGrowing(4);
        foreach (int at in new[] { 0, 1, 3 })
        {
            var y = clean.ToArray();
            y[at] *= 50; // a typo among the history's first values, where WithoutSpikes has no change from a period before
            Assert.Equal(y, OutlyingSteps.WithoutSpikes(y, 4));
            var cleaned = OutlyingSteps.WithoutEdgePeriodSpikes(y, 4);
            Assert.InRange(cleaned[at], 0.85 * clean[at], 1.15 * clean[at]);
            Assert.Equal(y.Where((_, t) => t != at), cleaned.Where((_, t) => t != at));
        }
        // The season's own swings (0.6 above the level, then 0.8 below it) and a clean series are left alone.
        Assert.Equal(clean, OutlyingSteps.WithoutEdgePeriodSpikes(clean, 4));
        // A first value unlike those a period later but not unlike its neighbour (a level the series left) stays too.
        var left = clean.Select((v, t) => t < 2 ? v + 400 : v).ToArray();
        Assert.Equal(left, OutlyingSteps.WithoutEdgePeriodSpikes(left, 4));
        // The last period's too, but for the last value, which has nothing after it.
        var late = clean.ToArray();
        late[^3] *= 50;
        var cleanedLate = OutlyingSteps.WithoutEdgePeriodSpikes(late, 4);
        Assert.InRange(cleanedLate[^3], 0.85 * clean[^3], 1.15 * clean[^3]);
        late[^1] *= 50;
        Assert.Equal(late[^1], OutlyingSteps.WithoutEdgePeriodSpikes(late, 4)[^1]);
        // Any length, for any period: nothing to tell from in a history shorter than a period and four values.
        for (int m = 1; m < 15; m++)
            for (int n = 0; n < 40; n++)
                Assert.Equal(n, OutlyingSteps.WithoutEdgePeriodSpikes(clean[..n], m).Length);
    }

    [Fact]
    public void TheRecurringPeaksOfASharpSeasonAreNoSpikes()
    {
        var rng = new SeededRandom(5);
        var y = Enumerable.Range(0, 96).Select(t => 100 + (t % 12 == 0 ? 60 : 0) + rng.NextGaussian()).ToArray();
        Assert.Equal(y, OutlyingSteps.WithoutSpikes(y, 1));
        Assert.Equal(y, OutlyingSteps.WithoutSpikes(y, 12));
    }

    [Fact]
    public void AGlitchInTheMiddleOfASeasonalSeriesLeavesTheMembersAsFittedWithoutIt()
    {
        var clean = QuarterlyGrowing(6, 48);
        var y = clean.ToArray();
        y[28] += 1500;
        var options = new TrainingOptions { Horizon = 8 };
        var withGlitch = ForecastTrainer.Train([Array.ConvertAll(y, v => (float)v)], options).Model;
        var without = ForecastTrainer.Train([Array.ConvertAll(clean, v => (float)v)], options).Model;
        Assert.Equal(without.SeasonLength, withGlitch.SeasonLength);
        Assert.Equal(without.Statistics!.Smoothing.Season, withGlitch.Statistics!.Smoothing.Season);
        // Forecast from the history as given, glitch included: the members' states still step through it.
        var history = Array.ConvertAll(y, v => (float)v);
        var a = withGlitch.Forecast([history])[0].Mean;
        var b = without.Forecast([history])[0].Mean;
        for (int t = 0; t < a.Length; t++) Assert.InRange(a[t], 0.9f * b[t], 1.1f * b[t]);
    }

    /// <summary>Six years of a monthly season about 100 with noise, the last value a glitch of 600, on the log scale.</summary>
    static double[] LoggedMonthlyWithGlitch(ulong seed)
    {
        var rng = new SeededRandom(seed);
        var y = Enumerable.Range(0, 71).Select(t => 100 + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * rng.NextGaussian()).Append(600).ToArray();
        return Array.ConvertAll(y, Math.Log);
    }

    [Theory]
    [InlineData(7ul)]
    [InlineData(9ul)] // (seed 8's fit is on the levels, whose recursion reads no steps)
    public void AnAutoregressionReadsAGlitchAtTheLargestOrdinaryStep(ulong seed)
    {
        var y = LoggedMonthlyWithGlitch(seed);
        var ar = DifferencedAutoregression.Fit([y], [12]);
        Assert.True(ar.Differenced && double.IsFinite(ar.StepLimit), $"differenced {ar.Differenced}, limit {ar.StepLimit}");
        // The ordinary steps of a sine of 20 about 100 are at most about 0.2 on the log scale; the glitch's is 1.7.
        Assert.InRange(ar.StepLimit, 0.1, 0.6);
        var limited = new double[12];
        ar.Forecast(y, limited);
        // Still carried on (φ near 1 on lag 1 keeps a step going), but as the largest ordinary step: 1,686 and 4,831 a year on.
        Assert.All(limited, v => Assert.InRange(Math.Exp(v), 10, 6000));
        // The same fit reading the glitch's step as it is carried it to millions within the year.
        var unlimited = new double[12];
        new DifferencedAutoregression(ar.Lags.ToArray(), ar.Coefficients.ToArray(), ar.Differenced).Forecast(y, unlimited);
        Assert.True(Math.Exp(unlimited.Max()) > 10 * Math.Exp(limited.Max()), $"unlimited {Math.Exp(unlimited.Max()):G4}, limited {Math.Exp(limited.Max()):G4}");
    }

    [Theory]
    [InlineData(7ul)]
    [InlineData(9ul)]
    public void AnAutoregressionFittedWithoutTheGlitchStillLimitsItInALaterHistory(ulong seed)
    {
        var y = LoggedMonthlyWithGlitch(seed);
        var ar = DifferencedAutoregression.Fit([y[..^1]], [12]); // the glitch arrives after training
        Assert.True(double.IsFinite(ar.StepLimit));
        var limited = new double[12];
        ar.Forecast(y, limited);
        var unlimited = new double[12];
        new DifferencedAutoregression(ar.Lags.ToArray(), ar.Coefficients.ToArray(), ar.Differenced).Forecast(y, unlimited);
        Assert.True(limited.Max() <= unlimited.Max(), $"limited {Math.Exp(limited.Max()):G4}, unlimited {Math.Exp(unlimited.Max()):G4}");
        Assert.All(limited, v => Assert.InRange(Math.Exp(v), 10, 6000));
    }

    [Fact]
    public void OneSeriesHasTheLargestOrdinaryStepAsItsLimitAndSeveralHaveNone()
    {
        var rng = new SeededRandom(3);
        double x = 0;
        var walk = Enumerable.Range(0, 80).Select(_ => x += rng.NextGaussian()).ToArray();
        double mean = (walk[^1] - walk[0]) / (walk.Length - 1);
        double largest = Enumerable.Range(1, walk.Length - 1).Max(t => Math.Abs(walk[t] - walk[t - 1] - mean));
        // A model fitted on a series without spikes still meets a glitch in a later history: the limit is always there.
        Assert.Equal(largest, DifferencedAutoregression.Fit([walk], []).StepLimit, 12);
        var glitched = walk.ToArray();
        glitched[40] += 50;
        double limit = DifferencedAutoregression.Fit([glitched], []).StepLimit;
        Assert.InRange(limit, 0.5 * largest, 2 * largest); // the glitch's two steps are not ordinary
        Assert.Equal(double.PositiveInfinity, DifferencedAutoregression.Fit([glitched, walk], []).StepLimit);
    }

    [Theory]
    [InlineData(1000.0)]
    [InlineData(10.0)]
    [InlineData(0.001)]
    [InlineData(1e-8)] // below the scale's old absolute floor of 1e-6, which forecast it as near zeros
    public void AOneSeriesModelForecastsTheSamePatternInOtherUnitsAlike(double factor)
    {
        // A wandering cycle that crosses 0 (never logged): read in the training series' absolute units, the limit had cut
        // every step of the history times 10 or 1,000.
        var rng = new SeededRandom(11);
        double walk = 0;
        var y = Enumerable.Range(0, 120).Select(t => (float)((walk += 3 * rng.NextGaussian()) + 20 * Math.Sin(2 * Math.PI * t / 11))).ToArray();
        var model = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 6 }).Model;
        var ar = model.Statistics!.Autoregression;
        Assert.True(ar.Differenced && double.IsFinite(ar.StepLimit) && ar.StepUnit > 0, $"differenced {ar.Differenced}, limit {ar.StepLimit}, unit {ar.StepUnit}");
        var history = y[^60..];
        var plain = model.Forecast([history])[0];
        var scaled = model.Forecast([Array.ConvertAll(history, v => (float)(v * factor))])[0];
        for (int t = 0; t < plain.Mean.Length; t++)
        {
            Assert.Equal(plain.Mean[t], scaled.Mean[t] / factor, 1e-3 * Math.Max(1, Math.Abs(plain.Mean[t])));
            foreach (var (level, band) in plain.Quantiles)
                Assert.Equal(band[t], scaled.Quantiles[level][t] / factor, 1e-3 * Math.Max(1, Math.Abs(band[t])));
        }
        // The same fit in absolute units (as stored before) reads the larger history's steps at the training series' limit.
        var absolute = new DifferencedAutoregression(ar.Lags.ToArray(), ar.Coefficients.ToArray(), ar.Differenced, ar.StepLimit);
        var relative = new DifferencedAutoregression(ar.Lags.ToArray(), ar.Coefficients.ToArray(), ar.Differenced, ar.StepLimit, ar.StepUnit);
        var big = Array.ConvertAll(history, v => v * 1000.0);
        double[] a = new double[6], r = new double[6], p = new double[6];
        absolute.Forecast(big, a);
        relative.Forecast(big.AsSpan(), big.Length, big[0], big.Sum(), r, unit: 1000 * ar.StepUnit!.Value);
        relative.Forecast(Array.ConvertAll(history, v => (double)v), p);
        for (int t = 0; t < 6; t++) Assert.Equal(p[t] * 1000, r[t], 1e-6 * Math.Max(1, Math.Abs(r[t])));
        Assert.NotEqual(r, a);
    }

    [Fact]
    public void TheLimitIsStoredWithTheEnsembleAndAbsentInOlderOnes()
    {
        var ensemble = new StatisticalEnsemble(new ExponentialSmoothing(false, false, 1, 0.5, 0, 0, 1), new ThetaMethod(0.5, 1, false),
            new DifferencedAutoregression([1], [0.4], true, 0.75), [0.25f, 0.25f, 0.25f, 0.25f]);
        var json = ensemble.ToJson();
        Assert.Equal(0.75, StatisticalEnsemble.FromJson(json).Autoregression.StepLimit);
        var older = json.Replace(",\"stepLimit\":0.75", "", StringComparison.Ordinal);
        Assert.NotEqual(json, older);
        Assert.Equal(double.PositiveInfinity, StatisticalEnsemble.FromJson(older).Autoregression.StepLimit);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DifferencedAutoregression([1], [0.4], true, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DifferencedAutoregression([1], [0.4], true, 0));
        // Its unit too; an ensemble stored before it reads its limit as absolute.
        var measured = ensemble.WithStepUnit(2.5).ToJson();
        Assert.Equal(2.5, StatisticalEnsemble.FromJson(measured).Autoregression.StepUnit);
        Assert.Null(StatisticalEnsemble.FromJson(json).Autoregression.StepUnit);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DifferencedAutoregression([1], [0.4], true, 0.75, 0));
    }
}

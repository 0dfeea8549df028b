using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Tests;

public class SeasonDetectorTests
{
    /// <summary>A random walk with a season of <paramref name="period"/> (two harmonics, the second's phase from the seed) and Gaussian noise.</summary>
    static double[] Seasonal(int length, int period, ulong seed, double amplitude = 3, double noise = 1)
    {
        var rng = new SeededRandom(seed);
        var profile = Enumerable.Range(0, period).Select(k => amplitude * (Math.Sin(2 * Math.PI * k / period) + 0.5 * Math.Cos(4 * Math.PI * k / period + seed))).ToArray();
        double level = 100;
        var y = new double[length];
        for (int t = 0; t < length; t++)
        {
            level += 0.3 * rng.NextGaussian();
            y[t] = level + profile[t % period] + noise * rng.NextGaussian();
        }
        return y;
    }

    [Theory]
    [InlineData(4, 60)]
    [InlineData(7, 120)]
    [InlineData(12, 72)]
    [InlineData(24, 240)]
    [InlineData(52, 260)]
    [InlineData(96, 480)]   // a day of 15-minute values
    [InlineData(144, 720)]  // of 10-minute values
    [InlineData(288, 2016)] // of 5-minute values (a week)
    public void FindsTheSeasonOfCommonFrequencies(int period, int length)
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var seasons = SeasonDetector.Detect(Seasonal(length, period, seed));
            Assert.True(seasons.Count > 0 && seasons[0] == period, $"seed {seed}: expected {period}, got [{string.Join(", ", seasons)}]");
        }
    }

    [Fact]
    public void AQuarterHourlyDayHasNoThreeDaySeasonBesideIt()
    {
        // A month of 15-minute values: 288 would be three days. (In 10-minute data 288 beside 144 is two days, but 144 may
        // as well be half a day of 5-minute data, whose day 288 is: that pair stays, for the smoothing's AICc to choose.)
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var seasons = SeasonDetector.Detect(Seasonal(2880, 96, seed));
            Assert.Equal(96, seasons[0]);
            Assert.DoesNotContain(288, seasons);
        }
    }

    [Fact]
    public void FindsNoSeasonInARandomWalkOrATrend()
    {
        var rng = new SeededRandom(5);
        double level = 0;
        var walk = Enumerable.Range(0, 300).Select(_ => level += rng.NextGaussian()).ToArray();
        Assert.Empty(SeasonDetector.Detect(walk));
        var trend = Enumerable.Range(0, 120).Select(t => 3.0 * t + rng.NextGaussian()).ToArray();
        Assert.Empty(SeasonDetector.Detect(trend));
    }

    [Fact]
    public void ReportsAWeeklySeasonBesideTheDailyOneOfHalfHourlyData()
    {
        // Four weeks of half-hours: a daily shape, weaker at weekends.
        var rng = new SeededRandom(11);
        var y = new double[4 * 336];
        for (int t = 0; t < y.Length; t++)
        {
            int day = t / 48 % 7;
            double daily = Math.Sin(2 * Math.PI * (t % 48) / 48);
            y[t] = 1000 + (day >= 5 ? 80 : 200) * daily + (day >= 5 ? -100 : 0) + 10 * rng.NextGaussian();
        }
        var seasons = SeasonDetector.Detect(y);
        Assert.Equal(48, seasons[0]);
        Assert.Equal(336, seasons[^1]);
        // Two, three and six days correlate too, but they are no sub-hourly day here: not a season for the smoothing to choose.
        Assert.Equal([48, 336], seasons);
    }

    [Fact]
    public void HourlyDataKeepsItsDayAndWeekAlone()
    {
        // Five weeks of hours: 96, 144 and 288 hours are multiples of its day and correlate as strongly.
        var rng = new SeededRandom(12);
        var y = new double[5 * 168];
        for (int t = 0; t < y.Length; t++)
            y[t] = 500 + (t / 24 % 7 >= 5 ? 40 : 100) * Math.Sin(2 * Math.PI * (t % 24) / 24) + 5 * rng.NextGaussian();
        var seasons = SeasonDetector.Detect(y);
        Assert.Equal(24, seasons[0]);
        Assert.Equal(168, seasons[^1]);
        Assert.DoesNotContain(seasons, c => c is 96 or 144 or 288);
    }

    [Theory]
    [InlineData(0.0)] // white noise
    [InlineData(1.0)] // a random walk
    [InlineData(0.9)] // an AR(1)
    public void NoiseOfSubHourlyLengthRarelyShowsTheirDays(double phi)
    {
        // Five days of 5-minute values with nothing daily in them.
        int found = NoiseShowing(phi, 100, 1440, 2000, seasons => seasons.Any(c => c is 96 or 144 or 288));
        Assert.True(found <= 5, $"A day of sub-hourly values in {found} of 100 series of noise (φ = {phi}).");
    }

    [Theory]
    [InlineData(0.0)] // white noise
    [InlineData(1.0)] // a random walk
    [InlineData(0.9)] // an AR(1)
    public void NoiseWithoutAFrequencyRarelyShowsAnySeason(double phi)
    {
        // Every candidate that fits in 150 values is tested: without the threshold shared among them, 5-7% of these showed
        // one (measured at 36, 27 and 25 of 500); with it 3, 9 and 7 of 500.
        int found = NoiseShowing(phi, 300, 150, 3000, seasons => seasons.Count > 0);
        Assert.True(found <= 9, $"A season in {found} of 300 series of noise (φ = {phi}).");
    }

    /// <summary>How many of <paramref name="count"/> AR(1) series (φ = <paramref name="phi"/>; 1: a random walk) about 50 have detected seasons that <paramref name="shows"/>.</summary>
    static int NoiseShowing(double phi, int count, int length, ulong seeds, Func<IReadOnlyList<int>, bool> shows) =>
        Enumerable.Range(0, count).Count(seed =>
        {
            var rng = new SeededRandom((ulong)seed + seeds);
            double x = 0;
            var y = Enumerable.Range(0, length).Select(_ => 50 + (x = phi * x + rng.NextGaussian())).ToArray();
            return shows(SeasonDetector.Detect(y));
        });

    /// <summary>A trend, a monthly sine of <paramref name="amplitude"/> noise deviations and Gaussian noise.</summary>
    static double[] MonthlySine(int length, double amplitude, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => 50 + 0.1 * t + amplitude * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian()).ToArray();
    }

    [Fact]
    public void FindsASmoothSeasonOnThreeToFivePeriods()
    {
        // A sine three noise deviations high: Bartlett's error, swollen by the sine's own autocorrelations below lag 12, let
        // the autocorrelation tests find it in 1% of such series of 36 values, 8% of 48 and 19% of 60; its share of the
        // detrended variance finds it in nearly all.
        foreach (int length in new[] { 36, 48, 60 })
        {
            int found = Enumerable.Range(0, 100).Count(seed => SeasonDetector.Detect(MonthlySine(length, 3, (ulong)seed)).Contains(12));
            Assert.True(found >= 95, $"{length} values: the season of 12 was found in {found} of 100 series.");
        }
    }

    [Fact]
    public void NoiseOnThreePeriodsRarelyShowsASeason()
    {
        // The remainder's variance is corrected for the twelve per-phase means fitted on two periods of detrended values:
        // uncorrected, pure noise would look half seasonal.
        int found = Enumerable.Range(0, 400).Count(seed => SeasonDetector.Detect(MonthlySine(36, 0, (ulong)seed)).Contains(12));
        Assert.True(found <= 12, $"A season of 12 in {found} of 400 noise series.");
        // Smooth noise (a random walk, an AR(1) with φ = 0.9) leaves a remainder whose swings can last about a period.
        foreach (double phi in new[] { 1.0, 0.9 })
        {
            int smooth = Enumerable.Range(0, 400).Count(seed =>
            {
                var rng = new SeededRandom((ulong)seed + 1000);
                double x = 0;
                return SeasonDetector.Detect(Enumerable.Range(0, 36).Select(_ => 50 + (x = phi * x + rng.NextGaussian())).ToArray()).Contains(12);
            });
            Assert.True(smooth <= 20, $"A season of 12 in {smooth} of 400 series of smooth noise (φ = {phi}).");
        }
    }

    /// <summary>Of <paramref name="count"/> series of a rising line, a sine of <paramref name="period"/> and unit noise, how many show it.</summary>
    static int SinesFound(int period, int length, double amplitude, int count, int seeds) => Enumerable.Range(0, count).Count(seed =>
    {
        var rng = new SeededRandom((ulong)(seed + seeds));
        var y = Enumerable.Range(0, length).Select(t => 100 + 0.05 * t + amplitude * Math.Sin(2 * Math.PI * t / period) + rng.NextGaussian()).ToArray();
        return SeasonDetector.Detect(y, [period]).Contains(period);
    });

    /// <summary>Of 400 series of noise (white, a random walk or an AR(1) by <paramref name="phi"/>), how many show a season of <paramref name="period"/>.</summary>
    static int NoiseFound(int period, int length, double phi, int seeds) => Enumerable.Range(0, 400).Count(seed =>
    {
        var rng = new SeededRandom((ulong)(seed + seeds));
        double x = 0;
        return SeasonDetector.Detect(Enumerable.Range(0, length).Select(_ => 50 + (x = phi * x + rng.NextGaussian())).ToArray(), [period]).Count > 0;
    });

    [Theory]
    // Under three periods the moving average's remainder is shorter than the two periods the seasonal strength needs, and
    // neither test had found a sine two noise deviations high (0-0.5% of such series); the series less its straight line
    // finds it in about 60%, and noise in 0-1.0% (white, a random walk and an AR(1) with φ = 0.9). The two-period measure
    // counts there too: on 35 months it found 107 of 200 where the line's remainder alone had found 90, noise as before.
    [InlineData(12, 31, 2, 90, 8)]  // 2.6 years of months
    [InlineData(12, 35, 2, 100, 8)]
    [InlineData(52, 136, 2, 90, 8)] // 2.6 years of weeks: 170 with a validation part held out (a QA pass: the yearly season missed)
    [InlineData(7, 18, 2, 90, 8)]   // 2.6 weeks of days
    // Under two and a half periods only the seasonal strength of the series less its periods' trend (and less two levels)
    // is tested: measured, 183-195 of 200 sines three noise deviations high, and at most 5, 8 and 6 of 400 noise series.
    [InlineData(12, 24, 3, 170, 12)]  // two years of months (a QA pass: forecast without their season, at three times a seasonal naive error)
    [InlineData(12, 26, 3, 170, 12)]
    [InlineData(12, 29, 3, 170, 12)]
    [InlineData(52, 104, 3, 170, 12)] // two years of weeks
    [InlineData(7, 16, 3, 170, 12)]
    public void FindsASeasonOnFewPeriods(int period, int length, double amplitude, int foundAtLeast, int noiseAtMost)
    {
        // Its frequency's candidate alone; the two kinds of case keep the seeds they were measured with.
        int seeds = amplitude == 2 ? 77 : 91, noiseSeeds = amplitude == 2 ? 5000 : 7000;
        int found = Enumerable.Range(0, 200).Count(seed =>
        {
            var rng = new SeededRandom((ulong)(seed + seeds));
            var y = Enumerable.Range(0, length).Select(t => 100 + 0.05 * t + amplitude * Math.Sin(2 * Math.PI * t / period) + rng.NextGaussian()).ToArray();
            return SeasonDetector.Detect(y, [period]).Contains(period);
        });
        Assert.True(found >= foundAtLeast, $"{length} values: the season of {period} was found in {found} of 200 series.");
        foreach (double phi in new[] { 0.0, 1.0, 0.9 })
        {
            int noise = Enumerable.Range(0, 400).Count(seed =>
            {
                var rng = new SeededRandom((ulong)(seed + noiseSeeds));
                double x = 0;
                return SeasonDetector.Detect(Enumerable.Range(0, length).Select(_ => 50 + (x = phi * x + rng.NextGaussian())).ToArray(), [period]).Count > 0;
            });
            Assert.True(noise <= noiseAtMost, $"A season of {period} in {noise} of 400 series of noise (φ = {phi}) of {length} values.");
        }
    }

    [Theory]
    // Measured on 2026-12-05, of 200 series (without a typo / a typo in the first period / in the last; before the change
    // the typo's counts were 119 / 104, 86 / 62, 140 / 142, 86 / 79, 60 / 55, 80 / 76), and of 400 of heavy-tailed noise:
    [InlineData(12, 24, 3, 12)] // 185 / 177 / 181; 9 (11 before)
    [InlineData(7, 16, 3, 10)]  // 183 / 181 / 182; 7 (5)
    [InlineData(52, 104, 3, 12)] // 185 / 176 / 177; 4 (10)
    [InlineData(12, 30, 2, 10)] // 131 / 126 / 130; 6 (8)
    [InlineData(7, 18, 2, 10)]  // 127 / 117 / 120; 7 (7)
    [InlineData(52, 140, 2, 38)] // 125 / 122 / 120; 30 (36)
    public void ATypoInTheFirstOrLastPeriodKeepsTheSeason(int period, int length, double amplitude, int heavyAtMost)
    {
        int clean = 0, first = 0, last = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var rng = new SeededRandom((ulong)(seed + 91));
            var y = Enumerable.Range(0, length).Select(t => 100 + 0.05 * t + amplitude * Math.Sin(2 * Math.PI * t / period) + rng.NextGaussian()).ToArray();
            if (SeasonDetector.Detect(y, [period]).Contains(period)) clean++;
            var early = y.ToArray();
            early[seed % (period - 1) + 1] *= 5;
            if (SeasonDetector.Detect(early, [period]).Contains(period)) first++;
            var late = y.ToArray();
            late[length - 2 - seed % (period - 2)] *= 5;
            if (SeasonDetector.Detect(late, [period]).Contains(period)) last++;
        }
        Assert.True(first >= 0.9 * clean && last >= 0.9 * clean,
            $"A typo in the first period kept the season in {first} of 200 series, in the last in {last}; {clean} show it without one.");
        // Noise whose tails the spike rule reads as typos (a ratio of normal deviates): no more seasons than before, about.
        // (Replaced from the value a period away, as the members' fit replaces them, the spikes had lent it the season
        // tested: 18, 12, 7, 10, 10 and 35 of 400.)
        int heavy = Enumerable.Range(0, 400).Count(seed =>
        {
            var rng = new SeededRandom((ulong)(seed + 9000));
            return SeasonDetector.Detect(Enumerable.Range(0, length).Select(_ => 50 + rng.NextGaussian() / Math.Max(0.05, Math.Abs(rng.NextGaussian()))).ToArray(), [period]).Count > 0;
        });
        Assert.True(heavy <= heavyAtMost, $"A season of {period} in {heavy} of 400 series of heavy-tailed noise.");
    }

    [Fact]
    public void WithoutAFrequencyATwoPeriodSeasonMustPeakAtItsPeriod()
    {
        // Two years of weeks: 48 is tested too and nearly as strong; the stronger 52 is the season (199 of 200 measured).
        int weeks = Enumerable.Range(0, 200).Count(seed =>
        {
            var rng = new SeededRandom((ulong)seed + 91);
            return SeasonDetector.Detect(Enumerable.Range(0, 104).Select(t => 100 + 3 * Math.Sin(2 * Math.PI * t / 52) + rng.NextGaussian()).ToArray()).Contains(52);
        });
        Assert.True(weeks >= 185, $"52 found in {weeks} of 200 series of two years of weeks.");
        // An eleven-year cycle in 24 yearly values is nearly as strong at 12 (sunspot areas had been forecast with a season
        // of 12, twice as far off), and stronger at 11, which is no candidate: 22 of 200 noisy cycles still pass (measured;
        // 45 of 200 while its next neighbours, 11 and 13, had to be stronger by 0.05).
        int cycles = Enumerable.Range(0, 200).Count(seed =>
        {
            var rng = new SeededRandom((ulong)seed + 300);
            return SeasonDetector.Detect(Enumerable.Range(0, 24).Select(t => 100 + 3 * Math.Sin(2 * Math.PI * t / 11) + rng.NextGaussian()).ToArray()).Contains(12);
        });
        Assert.True(cycles <= 30, $"An eleven-step cycle reported as a season of 12 in {cycles} of 200 series.");
    }

    [Fact]
    public void OnTwoPeriodsALevelShiftOrALineIsNoSeasonAndARecurringPeakIs()
    {
        // A step between two years less the line through their means is an exact sawtooth of period 12: a step of five noise
        // deviations at the 13th month had passed as a season in 104 of 200 series (a review); measured now 0-3.
        foreach (int at in new[] { 11, 12, 13 })
        {
            int steps = Enumerable.Range(0, 200).Count(seed =>
            {
                var rng = new SeededRandom((ulong)seed + 500);
                return SeasonDetector.Detect(Enumerable.Range(0, 24).Select(t => 50 + (t >= at ? 5 : 0) + rng.NextGaussian()).ToArray(), [12]).Count > 0;
            });
            Assert.True(steps <= 8, $"A level shift at {at} taken for a season in {steps} of 200 series.");
        }
        // A straight line's remainder is rounding noise, whose strength had passed (51 of 1,770 lines, a review), in doubles
        // and in the 32-bit floats the service reads (16 of 1,200 at a level of 1,000.3 had passed the doubles' tolerance).
        Assert.All(Enumerable.Range(0, 300), k =>
            Assert.Empty(SeasonDetector.Detect(Enumerable.Range(0, 24 + k % 6).Select(t => 3.7 + 0.13 * (k + 1) * t).ToArray(), [12])));
        Assert.All(Enumerable.Range(0, 1200), k =>
            Assert.Empty(SeasonDetector.Detect(Enumerable.Range(0, 24 + k % 6).Select(t => (double)(float)(1000.3 + 0.001 * (k + 1) * t)).ToArray(), [12])));
        // A December 60% above the other months, with 5% noise: one year's jump under the outlier rule's four deviations had
        // left the other's isolated and rebuilt as a level shift (a QA pass: a quarter of such series lost their season).
        int peaks = Enumerable.Range(0, 100).Count(seed =>
        {
            var rng = new SeededRandom((ulong)seed + 900);
            var y = Enumerable.Range(0, 24).Select(t => (100 + 0.5 * t) * ((t + seed) % 12 == 11 ? 1.6 : 1.0) * (1 + 0.05 * rng.NextGaussian())).ToArray();
            return SeasonDetector.Detect(y, [12]).Contains(12);
        });
        Assert.True(peaks >= 95, $"A December peak found in {peaks} of 100 series.");
        double[] sales = [271.5, 265.3, 285.7, 289.3, 318.9, 463.6, 200.8, 243.0, 257.8, 299.3, 273.6, 362.9,
            309.4, 304.0, 316.0, 386.0, 351.0, 460.9, 272.8, 306.1, 302.1, 373.3, 366.0, 348.3]; // the QA pass's series
        Assert.Equal([12], SeasonDetector.Detect(sales, [12]));
    }

    [Fact]
    public void ShortSeriesHaveNoSeasonToTest()
    {
        Assert.Empty(SeasonDetector.Detect(Seasonal(9, 4, 1)));
        Assert.Empty(SeasonDetector.Detect([]));
    }
}

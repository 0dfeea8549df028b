using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Season lengths a series shows, tested among the periods that common sampling frequencies suggest (quarters 4, days of a
/// week 7, months 12, hours 24, half-hours 48, weeks 52, hours of a week 168, half-hours of a week 336, and the days of
/// 15, 10 and 5 minutes, 96, 144 and 288, where no shorter calendar season found divides them).
/// A candidate needs two and a half periods (two where its strength alone is tested, <see cref="TwoPeriods"/>) and an autocorrelation of the differenced series (or of its remainder after a
/// moving average of one period) at its lag that is positive and significant under Bartlett's formula (at 95% shared among
/// the candidates tested; a multiple of a season found at 95% alone), after a
/// negative one at a shorter lag, or a seasonal strength of at least 0.64 (a smooth season on a few periods), all of the
/// series rebuilt without its isolated outlying steps (a glitch's, <see cref="OutlyingSteps.WithoutIsolatedSteps"/>). The primary season is the shortest significant one that is nearly as
/// strong as the strongest (48 rather than its multiple 336 for half-hourly data); the longest significant one is reported
/// too, so the input window can span it.
/// </summary>
public static class SeasonDetector
{
    public static readonly int[] Candidates = [4, 7, 12, 24, 48, 52, 96, 144, 168, 288, 336];

    /// <summary>
    /// The days of 15-, 10- and 5-minute data. Each is a multiple of an hourly or half-hourly day (and of 4 and 12), whose
    /// series correlate at it too: there it would be a spurious second season for the smoothing to choose, so it is tested
    /// only where none of those shorter seasons was found. A shorter sub-hourly day rules it out only as its triple (288
    /// after 96: three days of 15-minute data); 144 in 5-minute data is half a day, a morning and an evening peak.
    /// </summary>
    static readonly int[] SubHourlyDays = [96, 144, 288];

    /// <summary>Significant seasons: the primary first, then its significant multiples in increasing order (empty: none).</summary>
    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> y) => Detect(y, Candidates);

    /// <summary>
    /// Whether <paramref name="y"/> correlates more, per pair of values, at the lag of <paramref name="other"/> than at
    /// <paramref name="c"/>'s: measured on the series without its spikes and isolated outlying steps, as each candidate is
    /// tested (one glitch had decided it), less its straight line, which keeps every value: the remainder after a moving
    /// average of the longer period loses one period, and the comparison on the rest had been a coin toss.
    /// </summary>
    static bool NearMiss(double[] y, int c, int other, IReadOnlyList<int> candidates, bool relative)
    {
        int longer = Math.Max(c, other);
        var cleaned = OutlyingSteps.WithoutIsolatedSteps(OutlyingSteps.WithoutSpikes(y, longer, relative), candidates, relative);
        var remainder = LinearRemainder(cleaned);
        var r = SeriesMath.Autocorrelation(remainder, longer + 1);
        // Per pair of values: the longer lag has fewer pairs, which the autocorrelation's whole-series denominator counts against it.
        int n = remainder.Length;
        return r[other] / (n - other) > r[c] / (n - c);
    }

    /// <summary>Whether two candidates lie within a fifth of each other (48 and 52): one is the other's near miss where both correlate.</summary>
    public static bool Neighbours(int a, int b) => a != b && Math.Max(a, b) < 1.2 * Math.Min(a, b);

    /// <summary>
    /// The fewest values tested for a season: three quarters' periods. Thirteen had been the fewest, so four years of
    /// quarterly values with a horizon of 4 (a training part of 12) were never tested: a season 15 times the noise was
    /// missed and forecast 3.7 times as far off as a seasonal naive forecast (a QA pass). At 12 values white noise and
    /// random walks show a quarterly season in 14% of series (9% at 13, as before), at a cost of 0.2-0.9% of their error.
    /// </summary>
    public const int MinimumLength = 12;

    /// <summary>Whether a series of <paramref name="length"/> values holds the 2.5 periods of <paramref name="period"/> a test needs.</summary>
    public static bool Testable(int period, int length) => 5 * period <= 2 * length;

    /// <summary>
    /// As <see cref="Detect(ReadOnlySpan{double})"/>, testing only <paramref name="candidates"/> (ascending, each at least 2):
    /// the periods a known sampling frequency suggests (12 for months), so a lag that is no calendar period of that
    /// frequency (7 in monthly data) cannot pass by chance. Empty: no season.
    /// </summary>
    /// <param name="relative">false for a series already on the log scale, whose outlying steps are judged as they are
    /// (<see cref="OutlyingSteps"/>).</param>
    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> y, IReadOnlyList<int> candidates, bool relative = true)
    {
        int n = y.Length - 1;
        if (y.Length < MinimumLength) return [];
        var original = y.ToArray();
        int top = 0;
        foreach (var c in candidates) if (Testable(c, y.Length)) top = c;
        if (top == 0) return TwoPeriods(original, candidates, relative);
        // Every candidate tested is one more chance for noise to pass: the 95% of one test is shared among them (Bonferroni).
        // Without a frequency, white noise, random walks and AR(1)s of 60-200 values had shown a season in 2-7% of series
        // (four to eleven candidates, each tested twice); now 0-1.8%.
        int tested = candidates.Count(c => c <= top);
        double z = Streaming.AnomalyInterval.NormalQuantile(1 - 0.025 / tested);
        var strength = new Dictionary<int, double>();
        foreach (var c in candidates)
        {
            if (c > top) break;
            if (SubHourlyDays.Contains(c) && strength.Keys.Any(shorter => c % shorter == 0 && (!SubHourlyDays.Contains(shorter) || c == 3 * shorter))) continue;
            // A multiple of a season found is tested on its own: a week beside a day is no new chance for noise (taylor's 336
            // beside 48 failed the shared threshold, and its window lost last week: 0.307 -> 0.993).
            bool multiple = strength.Keys.Any(shorter => c % shorter == 0);
            double zc = multiple ? 1.96 : z;
            // A glitch is a pair of huge steps whose squares dominate every autocorrelation's denominator: each candidate is
            // tested on the series without its spikes at that period (a glitch stands out of the period's differences where
            // a season's swings hide it among the steps) and without its isolated outlying steps.
            // The first and the last period's spikes too, which a period's changes cannot tell: one typo there had hidden the
            // season of 30 months of a sine two noise deviations high in about a third of the series that show it (4% now).
            var spikeFree = WithoutEdgeSpikes(OutlyingSteps.WithoutSpikes(original, c, relative), c, relative);
            var cleaned = OutlyingSteps.WithoutIsolatedSteps(spikeFree, candidates, relative);
            var d = new double[n];
            for (int t = 0; t < n; t++) d[t] = cleaned[t + 1] - cleaned[t];
            double differenced = Test(SeriesMath.Autocorrelation(d, c + 1), c, n, zc);
            // Differencing drowns a smooth season (a daily sine in half-hours) in noise; the remainder after a centred
            // moving average of one period keeps it, so a candidate passes on either.
            var remainder = Remainder(cleaned, c);
            var autocorrelation = SeriesMath.Autocorrelation(remainder, c + 1);
            double detrended = Test(autocorrelation, c, y.Length - 2 * (c / 2), zc);
            double best = Math.Max(differenced, detrended);
            // Bartlett's error grows with the autocorrelations below the lag, which a smooth season makes large: on a few
            // periods of monthly temperatures neither test passes. The season's share of the detrended variance does (not
            // for a multiple of a season already found: its per-phase means hold the shorter season too).
            if (best == 0 && !multiple && Strong(remainder, c) && autocorrelation[c] > 0) best = autocorrelation[c];
            // Fewer than three periods leave the moving average's remainder shorter than the two periods the strength needs
            // (170 weeks with a validation part: 136 values, a remainder of 84): the series less its straight line keeps them
            // all. A QA pass saw a yearly season of amplitude 80 in weekly noise of 10 missed, the forecast three times worse
            // than a seasonal naive one.
            if (best == 0 && !multiple && remainder.Length < 2 * c && LinearRemainder(cleaned) is var line && Strong(line, c)
                && SeriesMath.Autocorrelation(line, c + 1)[c] is var r and > 0)
                best = r;
            // Or by the measure of two periods (TwoPeriods), which a longer series must not fail where a shorter one passes:
            // debit card sales' last 30 months, whose season 24-29 of them show, had been forecast without it at 1.6 times a
            // seasonal naive forecast's error.
            if (best == 0 && !multiple && remainder.Length < 2 * c)
                foreach (var series in new[] { cleaned, original })
                    if (best == 0 && TwoPeriodStrength(series, c, candidates.Count > 1) >= TwoPeriodThreshold)
                        best = Math.Max(double.Epsilon, SeriesMath.Autocorrelation(PeriodTrendRemainder(series, c), c + 1)[c]);
            if (best > 0) strength[c] = best;
        }
        // Of two neighbouring candidates (48 and 52) the one the series correlates more at is the season, the other its near
        // miss. Judged on one remainder for both (NearMiss): each candidate's own test reads another series, and a yearly
        // season of weekly values had shown a stronger 48 than 52 so (a QA pass).
        foreach (var c in strength.Keys.ToList())
            if (strength.Keys.Any(o => Neighbours(o, c) && NearMiss(original, c, o, candidates, relative))) strength.Remove(c);
        if (strength.Count == 0) return TwoPeriods(original, candidates, relative);
        double strongest = strength.Values.Max();
        int primary = strength.Keys.First(c => strength[c] >= 0.8 * strongest);
        return strength.Keys.Where(c => c % primary == 0).ToList();
    }

    /// <summary>
    /// The strongest candidate the series holds two periods of but not the two and a half the tests above need, whose
    /// season is strong in the series less its periods' trend (<see cref="Strong"/>, <see cref="PeriodTrendRemainder"/>;
    /// positively correlated a period apart, and over two levels: <see cref="TwoPeriodStrength"/>); empty where none is.
    /// Two years of monthly sales had been forecast without their season, at three times a seasonal naive forecast's error.
    /// A sine three noise deviations high is found in 183-195 of 200 series of 24, 26 and 29 months, 104 weeks and 16 days;
    /// white noise, random walks and AR(1)s with φ = 0.9 of 24 values show a 12 in 5, 8 and 6 of 400
    /// (<c>SeasonDetectorTests</c>), where the season's evidence is two values per phase.
    /// </summary>
    static IReadOnlyList<int> TwoPeriods(double[] y, IReadOnlyList<int> candidates, bool relative)
    {
        int found = 0;
        double strongest = TwoPeriodThreshold;
        foreach (var c in candidates)
        {
            if (Testable(c, y.Length) || 2 * c > y.Length) continue;
            // The series as given too: a season's jump (into one December) recurs once in two years, and a year whose jump
            // stays under the outlier rule's four deviations left the other's isolated, rebuilt as a level shift (a QA pass:
            // a quarter of two years of sales with a December peak lost their season).
            // Without the spikes of the first and the last period too, which a period's changes cannot tell (every value of
            // two periods is in one of them): one typo of five times the level in two years of a monthly sine three noise
            // deviations high had hidden its season in 81 of 200 series, now 23 (15 without one).
            var cleaned = WithoutEdgeSpikes(OutlyingSteps.WithoutSpikes(y, c, relative), c, relative);
            foreach (var series in new[] { OutlyingSteps.WithoutIsolatedSteps(cleaned, candidates, relative), y })
            {
                double strength = TwoPeriodStrength(series, c, candidates.Count > 1);
                if (strength < strongest) continue;
                // Of two candidates (48 and 52 in two years of weeks) the stronger.
                found = c;
                strongest = strength;
            }
        }
        return found > 0 ? [found] : [];
    }

    /// <summary>
    /// <paramref name="y"/> with the spikes of its first and last <paramref name="period"/> (<see cref="OutlyingSteps.WithoutEdgePeriodSpikes"/>)
    /// each replaced by the mean of its two neighbours, not from the value a period away as the members' fit replaces them:
    /// a copy of the other period's phase would lend any series the very season tested (a review: noise of heavy tails had
    /// shown a season of 7 in 12 of 400 series of 16 values so, 5 before the spikes were told, 7 now).
    /// </summary>
    static double[] WithoutEdgeSpikes(double[] y, int period, bool relative)
    {
        var told = OutlyingSteps.WithoutEdgePeriodSpikes(y, period, relative);
        for (int t = 0; t < y.Length; t++)
            if (told[t] != y[t]) told[t] = t == 0 ? y[1] : t + 1 == y.Length ? y[t - 1] : 0.5 * (y[t - 1] + y[t + 1]);
        return told;
    }

    /// <summary>
    /// Whether <paramref name="y"/> (two periods of <paramref name="c"/> or more; theta and the mix ask it of fewer than
    /// three) holds a season of that period by <see cref="TwoPeriodStrength"/>'s measure: strong in the series less its
    /// periods' trend and over two levels (and, with <paramref name="peak"/>, stronger than its neighbours).
    /// </summary>
    internal static bool StrongOverPeriods(double[] y, int c, bool peak) => 2 * c <= y.Length && TwoPeriodStrength(y, c, peak) >= TwoPeriodThreshold;

    /// <summary>
    /// The seasonal strength of period <paramref name="c"/> in <paramref name="y"/> (two to three periods), or -∞
    /// where the series holds no season of it: a straight line (its remainder rounding noise), a remainder that does not
    /// correlate positively a period apart, one level shift (its two levels explain the series as well), or, with
    /// <paramref name="peak"/>, a period that does not peak among its neighbours.
    /// </summary>
    static double TwoPeriodStrength(double[] y, int c, bool peak)
    {
        var line = PeriodTrendRemainder(y, c);
        double strength = Strength(line, c);
        // A remainder within a 32-bit float's resolution of the values (what the service reads) is a line's rounding, no season.
        double resolution = 1e-6 * y.Max(Math.Abs);
        if (!(strength >= TwoPeriodThreshold) || SumOfSquares(line) <= Math.Max(1e-12 * SumOfSquares(Centred(y)), y.Length * resolution * resolution))
            return double.NegativeInfinity;
        if (SeriesMath.Autocorrelation(line, c + 1)[c] <= 0) return double.NegativeInfinity;
        // A level shift between the two periods less the line through their means leaves a sawtooth of exactly one period,
        // as strong as a season (a step of five noise deviations at the 13th of 24 months: a 12 in 104 of 200 series). The
        // season must also explain what two levels leave, as the strength asks of what the line leaves: 1 less the
        // season's remainder variance over the two levels' must reach the same threshold.
        var step = StepRemainder(y);
        double overStep = 1 - PhaseRemainder(line, c) / (y.Length - c) / (SumOfSquares(step) / (y.Length - 2));
        if (!(overStep >= TwoPeriodThreshold)) return double.NegativeInfinity;
        // Several candidates (no frequency): a season must peak at its own period. An eleven-year cycle in 24 yearly values
        // is about as strong at 12 (sunspot areas: forecast with a season of 12, twice as far off), and stronger at 11. A
        // long period's next neighbours share most of its phases (51 and 52 weeks), so its neighbours lie a twelfth away.
        int apart = Math.Max(1, (c + 6) / 12);
        if (peak && new[] { c - apart, c + apart }.Any(k => 2 * k <= y.Length && Strength(PeriodTrendRemainder(y, k), k) >= strength))
            return double.NegativeInfinity;
        return strength;
    }

    /// <summary>The series less the two levels, before and after one break, that leave the least squared remainder.</summary>
    static double[] StepRemainder(ReadOnlySpan<double> y)
    {
        int n = y.Length, split = 1;
        double total = 0, best = double.PositiveInfinity;
        foreach (var v in y) total += v;
        double before = 0;
        for (int k = 1; k < n; k++)
        {
            before += y[k - 1];
            // The sum of squares about two means is the total's less k·mean₁² + (n-k)·mean₂²: the largest of these wins.
            double explained = -(before * before / k + (total - before) * (total - before) / (n - k));
            if (explained < best) { best = explained; split = k; }
        }
        double first = 0, second = 0;
        for (int t = 0; t < n; t++) { if (t < split) first += y[t]; else second += y[t]; }
        first /= split; second /= n - split;
        var e = new double[n];
        for (int t = 0; t < n; t++) e[t] = y[t] - (t < split ? first : second);
        return e;
    }

    /// <summary>The squared remainder of <paramref name="detrended"/> less its per-phase means of period <paramref name="c"/>.</summary>
    static double PhaseRemainder(ReadOnlySpan<double> detrended, int c)
    {
        var sum = new double[c];
        var count = new int[c];
        for (int t = 0; t < detrended.Length; t++) { sum[t % c] += detrended[t]; count[t % c]++; }
        double remainder = 0;
        for (int t = 0; t < detrended.Length; t++) { double e = detrended[t] - sum[t % c] / count[t % c]; remainder += e * e; }
        return remainder;
    }

    static double[] Centred(ReadOnlySpan<double> y)
    {
        double mean = Mean(y);
        var e = new double[y.Length];
        for (int t = 0; t < y.Length; t++) e[t] = y[t] - mean;
        return e;
    }

    static double SumOfSquares(ReadOnlySpan<double> e)
    {
        double sum = 0;
        foreach (var v in e) sum += v * v;
        return sum;
    }

    /// <summary>
    /// The strength a season on two periods needs: R's nsdiffs threshold, as for more periods. 0.72 would lose wineind's
    /// season in its last 24 months, whose strength is 0.71 (`suite --train-last 24`).
    /// </summary>
    const double TwoPeriodThreshold = StrongSeason;

    /// <summary>Whether a series of <paramref name="length"/> values holds the two periods of <paramref name="period"/> that <see cref="TwoPeriods"/> tests.</summary>
    public static bool TwoPeriodsHeld(int period, int length) => 2 * period <= length;

    /// <summary>
    /// r[c] when it is above 0.2 and <paramref name="z"/> standard errors (Bartlett), a local peak, and some shorter lag anti-correlates (a
    /// periodic signal does within its period; positive correlation all the way is smoothness, not a season); 0 otherwise.
    /// </summary>
    static double Test(double[] r, int c, int n, double z)
    {
        double sum = 0, lowest = double.PositiveInfinity;
        for (int k = 1; k < c; k++) { sum += r[k] * r[k]; lowest = Math.Min(lowest, r[k]); }
        double se = Math.Sqrt((1 + 2 * sum) / n);
        // A season peaks at its own lag (up to noise); a cycle of 11 years also correlates at 12, but clearly less than at 11.
        bool peak = r[c] >= 0.95 * r[c - 1] && (c + 1 >= r.Length || r[c] >= 0.95 * r[c + 1]);
        return r[c] > 0.2 && r[c] > z * se && lowest < 0 && peak ? r[c] : 0;
    }

    /// <summary>
    /// Wang, Smith and Hyndman's seasonal strength, 1 - Var(remainder) / Var(detrended), at least <see cref="StrongSeason"/>
    /// (the threshold of R's nsdiffs): the detrended series' per-phase means are its season, what they leave its remainder,
    /// whose variance is corrected for the c means fitted (on two periods the means would halve pure noise's variance and
    /// make it look half seasonal). Needs two full periods of the detrended series.
    /// </summary>
    internal static bool Strong(ReadOnlySpan<double> detrended, int c) => Strength(detrended, c) >= StrongSeason;

    /// <summary>The seasonal strength <see cref="Strong"/> compares with its threshold; -∞ without two full periods.</summary>
    static double Strength(ReadOnlySpan<double> detrended, int c)
    {
        int n = detrended.Length;
        if (c < 2 || n < 2 * c) return double.NegativeInfinity;
        double total = SumOfSquares(Centred(detrended));
        if (!(total > 0)) return double.NegativeInfinity;
        return 1 - PhaseRemainder(detrended, c) / (n - c) / (total / (n - 1));
    }

    /// <summary>Seasonal strength from which a season counts without the autocorrelation tests (R's nsdiffs uses 0.64).</summary>
    public const double StrongSeason = 0.64;

    /// <summary>
    /// The series less a straight line whose slope is the change from its first period's mean to its last one's: each
    /// holds every phase once, so the season does not tilt it. A least-squares line over two periods takes part of a
    /// sine as its slope, whose years then differ phase by phase: a sine three noise deviations high in two years of weeks
    /// showed a strength of 0.53-0.60, under the threshold, though it makes up four fifths of the variance.
    /// </summary>
    static double[] PeriodTrendRemainder(ReadOnlySpan<double> y, int c)
    {
        int n = y.Length;
        double first = 0, last = 0;
        for (int t = 0; t < c; t++) { first += y[t]; last += y[n - c + t]; }
        return LessLine(y, (last - first) / c / (n - c));
    }

    /// <summary>The series less its least-squares straight line.</summary>
    static double[] LinearRemainder(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        double tMean = (n - 1) / 2.0, yMean = Mean(y);
        double sxy = 0, sxx = 0;
        for (int t = 0; t < n; t++) { sxy += (t - tMean) * (y[t] - yMean); sxx += (t - tMean) * (t - tMean); }
        return LessLine(y, sxx > 0 ? sxy / sxx : 0);
    }

    /// <summary>The series less the line of <paramref name="slope"/> through its mean at its middle.</summary>
    static double[] LessLine(ReadOnlySpan<double> y, double slope)
    {
        int n = y.Length;
        double tMean = (n - 1) / 2.0, mean = Mean(y);
        var e = new double[n];
        for (int t = 0; t < n; t++) e[t] = y[t] - mean - slope * (t - tMean);
        return e;
    }

    static double Mean(ReadOnlySpan<double> y)
    {
        double sum = 0;
        foreach (var v in y) sum += v;
        return sum / y.Length;
    }

    /// <summary>The series less its centred moving average over one period (2 x c for even c, as classical decomposition).</summary>
    static double[] Remainder(ReadOnlySpan<double> y, int c)
    {
        int half = c / 2, n = y.Length;
        var e = new double[Math.Max(0, n - 2 * half)];
        for (int t = half; t + half < n; t++) e[t - half] = y[t] - SeriesMath.CentredMean(y, t, c);
        return e;
    }
}

using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// The theta method as R's forecast::thetaf computes it (Hyndman and Billah's form of Assimakopoulos and Nikolopoulos):
/// simple exponential smoothing with a drift of half the series' least-squares slope, on the seasonally adjusted series
/// when the season passes a 90% autocorrelation test, reseasonalised by classical decomposition (under four periods by a
/// regression on the phases, <see cref="SeasonalIndex"/>).
/// α is fitted once, as the smoothing's parameters are (on the next <see cref="ExponentialSmoothing.FitSteps"/> forecasts'
/// errors, where thetaf's <c>ses</c> fits the one-step likelihood); the decomposition and the slope are recomputed from
/// whatever history is forecast from.
/// </summary>
public sealed class ThetaMethod
{
    public ThetaMethod(double alpha, int season, bool multiplicative)
    {
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in (0, 1].");
        Alpha = alpha; Season = season >= 2 ? season : 1; Multiplicative = multiplicative;
    }

    public double Alpha { get; }
    /// <summary>Season removed before smoothing (1: none).</summary>
    public int Season { get; }
    public bool Multiplicative { get; }

    /// <summary>Values estimated from the history: α, the initial level, the drift and, when seasonal, the m - 1 free seasonal indices.</summary>
    public int ParameterCount => 3 + (Season > 1 ? Season - 1 : 0);

    /// <summary>
    /// Fits α on every series (seasonally adjusted when the longest passes the season test), each weighted by
    /// <paramref name="weights"/> as in <see cref="ExponentialSmoothing.Fit"/>.
    /// </summary>
    public static ThetaMethod Fit(IReadOnlyList<double[]> series, IReadOnlyList<double> weights, int season, CancellationToken cancellationToken = default) =>
        FitWithSeason(series, weights, SeasonOf(series, season), cancellationToken);

    /// <summary>As <see cref="Fit"/>, removing season <paramref name="m"/> (1: none) without testing it: the trainer's refit keeps the season the held-out fit had.</summary>
    internal static ThetaMethod FitWithSeason(IReadOnlyList<double[]> series, IReadOnlyList<double> weights, int m, CancellationToken cancellationToken = default)
    {
        bool multiplicative = m > 1 && series.All(s => Min(s) > 0);
        var adjusted = series.Select(y =>
        {
            var a = (double[])y.Clone();
            // As a forecast does: an index that cannot deseasonalise (a phase of zeros) leaves the series as it is.
            if (m > 1 && Usable(SeasonalIndex(y, m, multiplicative), multiplicative) is { } index) Deseasonalize(a, index, multiplicative);
            return a;
        }).ToList();
        var (ses, _) = ExponentialSmoothing.Fit(adjusted, weights, trend: false, damped: false, season: 1, cancellationToken);
        return new ThetaMethod(ses.Alpha, m, multiplicative);
    }

    /// <summary>
    /// Forecasts <paramref name="output"/>.Length steps after <paramref name="y"/>: the simple exponential smoothing of the
    /// deseasonalised series plus half its regression slope, reseasonalised; computed from the sufficient statistics a stream
    /// keeps (<see cref="ThetaState"/>), gathered here over the whole history.
    /// </summary>
    public void Forecast(ReadOnlySpan<double> y, Span<double> output)
    {
        var state = ThetaState.Create(this);
        state.Initialize(this, y);
        for (int t = 0; t < y.Length; t++) state.Step(this, t, y[t], y[..(t + 1)]);
        state.Forecast(this, y.Length, output);
    }

    /// <summary>
    /// Forecasts from every origin in one pass (as <see cref="StatisticalEnsemble.ForecastsAlong"/> describes). An origin
    /// within the first <paramref name="fitted"/> values (the part the members were fitted on) reads the seasonal index of
    /// all of them, in sample as the other members' fitted states are; one after them reads only the values before it, as
    /// <see cref="Forecast"/> from that history does. The index had been read from the whole of <paramref name="y"/>: a
    /// validation window's index then held its own targets, which on three years of a daily series with a yearly season
    /// gave theta nine tenths of the mix and 0.1-0.9 intervals that covered 0.63.
    /// </summary>
    public void ForecastsAlong(ReadOnlySpan<double> y, IReadOnlyList<int> origins, int steps, double[] output, int offset, int stride, int fitted)
    {
        fitted = Math.Clamp(fitted, 0, y.Length);
        int within = 0;
        while (fitted > 0 && within < origins.Count && origins[within] <= fitted) within++;
        if (within > 0) AlongWithIndex(y[..fitted], origins.Take(within).ToArray(), steps, output, offset, stride);
        if (within == origins.Count) return;
        var state = ThetaState.Create(this);
        state.Initialize(this, y);
        // The initial level averages the first ⌈1/α⌉ values; an origin before them reads fewer (Forecast's own clamp), so it
        // forecasts from a copy of the state with its own initial level (the steps never read it).
        int initial = (int)Math.Clamp(Math.Ceiling(1.0 / Alpha), 1, y.Length + 1), next = within;
        for (int t = 0; next < origins.Count; t++)
        {
            while (next < origins.Count && origins[next] == t)
            {
                var at = output.AsSpan(offset + next * stride, steps);
                if (t < initial)
                {
                    var own = state.Clone();
                    own.Initialize(this, y[..t]);
                    own.Forecast(this, t, at);
                }
                else state.Forecast(this, t, at);
                next++;
            }
            if (t == y.Length) break;
            state.Step(this, t, y[t], y[..(t + 1)]);
        }
    }

    /// <summary>
    /// Forecasts from <paramref name="origins"/> (within <paramref name="y"/>) with the seasonal index of the whole of
    /// <paramref name="y"/>, the smoothed level and the least-squares slope updated value by value.
    /// </summary>
    void AlongWithIndex(ReadOnlySpan<double> y, IReadOnlyList<int> origins, int steps, double[] output, int offset, int stride)
    {
        int n = y.Length, m = Season, next = 0;
        var index = m > 1 && n >= 2 * m ? Usable(SeasonalIndex(y, m, Multiplicative), Multiplicative) : null;
        bool seasonal = index is not null;
        var adjusted = y.ToArray();
        if (seasonal) Deseasonalize(adjusted, index!, Multiplicative);
        int k = (int)Math.Clamp(Math.Ceiling(1.0 / Alpha), 1, n);
        double level = 0;
        for (int t = 0; t < k; t++) level += adjusted[t];
        level /= k; // the initial level ExponentialSmoothing gives a level-only model
        double st = 0, sy = 0, stt = 0, sty = 0;
        for (int t = 0; t <= n && next < origins.Count; t++)
        {
            while (next < origins.Count && origins[next] == t)
            {
                double denominator = t * stt - st * st;
                double slope = t >= 2 && denominator > 0 ? (t * sty - st * sy) / denominator / 2 : 0;
                double carry = (1 - Math.Pow(1 - Alpha, t)) / Alpha;
                int at = offset + next * stride;
                for (int h = 0; h < steps; h++)
                {
                    double v = level + slope * (h + carry);
                    if (seasonal) v = Multiplicative ? v * index![(t + h) % m] : v + index![(t + h) % m];
                    output[at + h] = v;
                }
                next++;
            }
            if (t == n) break;
            level += Alpha * (adjusted[t] - level);
            st += t; sy += adjusted[t]; stt += (double)t * t; sty += t * adjusted[t];
        }
    }

    /// <summary>
    /// The season <see cref="Fit"/> removes: <paramref name="season"/> where every series holds two periods of it and the
    /// longest passes <see cref="SeasonTest"/>, else 1. Under two and a half periods that test cannot pass a season (two years
    /// of monthly sales' r12 is shrunk by half): there the season given, which the trainer found by its strength
    /// (<see cref="SeasonDetector"/>), counts. Under three periods it is still weak, so a season strong in the series less
    /// its periods' trend counts too (<see cref="SeasonDetector.StrongOverPeriods"/>): 30 months of wine sales, whose season
    /// the trainer had found, failed it and were forecast at twice a seasonal naive forecast's error.
    /// </summary>
    internal static int SeasonOf(IReadOnlyList<double[]> series, int season)
    {
        var longest = series.MaxBy(s => s.Length)!;
        return season >= 2 && series.Min(s => s.Length) >= 2 * season
            && (SeasonTest(longest, season) || !SeasonDetector.Testable(season, longest.Length)
                || longest.Length < 3 * season && SeasonDetector.StrongOverPeriods(longest, season, peak: false)) ? season : 1;
    }

    /// <summary>R's thetaf test: |r_m| above 1.645 standard errors of Bartlett's formula.</summary>
    public static bool SeasonTest(ReadOnlySpan<double> y, int m)
    {
        var r = SeriesMath.Autocorrelation(y, m);
        double sum = 0;
        for (int k = 1; k < m; k++) sum += r[k] * r[k];
        double se = Math.Sqrt((1 + 2 * sum) / y.Length);
        return Math.Abs(r[m]) / se > 1.6448536269514722;
    }

    /// <summary>
    /// Periods below which the seasonal index is <see cref="PhaseRegressionIndex"/>'s rather than <see cref="Decompose"/>'s.
    /// The decomposition's centred moving average leaves out half a period at each end, so under four periods it averages
    /// one to three values per phase (one in two years); the regression reads every value, two to four per phase.
    /// </summary>
    internal const int RegressionPeriods = 4;

    /// <summary>
    /// The seasonal index theta removes from <paramref name="y"/>: by <see cref="RegressionPeriods"/>, a phase regression's or
    /// R's decomposition's. A multiplicative regression index that is not positive (a steep fall whose line runs below zero
    /// at a phase's mean time, every value positive) gives way to the decomposition's, whose ratios of positive values are.
    /// </summary>
    public static double[] SeasonalIndex(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        if (y.Length >= RegressionPeriods * m) return Decompose(y, m, multiplicative);
        var (sums, timeSums, times, counts) = (new double[m], new double[m], new double[m], new double[m]);
        for (int t = 0; t < y.Length; t++)
        {
            int p = t % m;
            sums[p] += y[t]; timeSums[p] += t * y[t]; times[p] += t; counts[p]++;
        }
        return Usable(PhaseRegressionIndex(sums, timeSums, times, counts, multiplicative), multiplicative) ?? Decompose(y, m, multiplicative);
    }

    /// <summary>
    /// Seasonal indices of a least-squares fit of one slope and a mean per phase, from per-phase sums of y, t·y and t and the
    /// counts (phase p holds t = p, p + m, ...), as <see cref="ThetaState"/> keeps them: each phase's mean less the slope's
    /// share of its mean time, centred to 0 (additive) or divided by their mean (multiplicative). A phase without values gets
    /// the neutral index.
    /// </summary>
    internal static double[] PhaseRegressionIndex(double[] sums, double[] timeSums, double[] times, double[] counts, bool multiplicative)
    {
        int m = sums.Length, phases = 0;
        double sxy = 0, sxx = 0, totalTime = 0, totalCount = 0;
        for (int p = 0; p < m; p++)
        {
            double c = counts[p];
            if (c < 1) continue;
            // Σ t² over t = p + m·j, j < c, in closed form (the state keeps no squares per phase).
            double squares = c * p * (double)p + (double)p * m * c * (c - 1) + (double)m * m * (c - 1) * c * (2 * c - 1) / 6;
            sxy += timeSums[p] - times[p] * sums[p] / c;
            sxx += squares - times[p] * times[p] / c;
            totalTime += times[p]; totalCount += c; phases++;
        }
        double slope = sxx > 0 ? sxy / sxx : 0, meanTime = totalCount > 0 ? totalTime / totalCount : 0, mean = 0;
        var index = new double[m];
        for (int p = 0; p < m; p++)
        {
            if (counts[p] < 1) continue;
            index[p] = (sums[p] - slope * (times[p] - meanTime * counts[p])) / counts[p];
            mean += index[p] / phases;
        }
        for (int p = 0; p < m; p++)
            index[p] = counts[p] < 1 ? (multiplicative ? 1 : 0) : multiplicative ? (mean > 0 ? index[p] / mean : 1) : index[p] - mean;
        return index;
    }

    /// <summary>
    /// Seasonal indices by classical decomposition (R's decompose): a centred moving average of one season as the trend,
    /// the average ratio (or difference) to it per phase, normalised to mean 1 (or 0). Phase 0 is the history's first value.
    /// </summary>
    public static double[] Decompose(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        int n = y.Length, half = m / 2;
        var sum = new double[m];
        var count = new int[m];
        for (int t = half; t + half < n; t++)
        {
            double trend = SeriesMath.CentredMean(y, t, m);
            sum[t % m] += multiplicative ? Ratio(y[t], trend) : y[t] - trend;
            count[t % m]++;
        }
        var index = new double[m];
        double total = 0;
        for (int p = 0; p < m; p++)
        {
            index[p] = count[p] > 0 ? sum[p] / count[p] : multiplicative ? 1 : 0;
            total += index[p];
        }
        for (int p = 0; p < m; p++) index[p] = multiplicative ? index[p] * m / total : index[p] - total / m;
        return index;
    }

    /// <summary>
    /// A value's ratio to its centred moving average in a multiplicative decomposition, 1 (no season to tell) where that
    /// average is not positive: the index is fitted on a positive series, but a later history may hold a season of zeros
    /// (a shop closed for weeks), whose 0 / 0 had made every forecast NaN and a stream refuse its next value.
    /// </summary>
    internal static double Ratio(double value, double trend) => trend > 0 ? value / trend : 1;

    /// <summary>
    /// <paramref name="index"/>, or null where it cannot deseasonalise: a multiplicative index that is not positive (every
    /// value of a phase zero, or negative ones) would divide by zero. The method then forecasts the series unadjusted.
    /// </summary>
    internal static double[]? Usable(double[]? index, bool multiplicative) =>
        index is not null && multiplicative && !index.All(v => v > 0 && double.IsFinite(v)) ? null : index;

    static void Deseasonalize(double[] y, double[] index, bool multiplicative)
    {
        int m = index.Length;
        for (int t = 0; t < y.Length; t++) y[t] = multiplicative ? y[t] / index[t % m] : y[t] - index[t % m];
    }

    static double Min(ReadOnlySpan<double> y)
    {
        double min = double.PositiveInfinity;
        foreach (var v in y) min = Math.Min(min, v);
        return min;
    }
}

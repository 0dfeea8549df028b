using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Season lengths a series shows, tested among the periods that common sampling frequencies suggest (quarters 4, days of a
/// week 7, months 12, hours 24, half-hours 48, weeks 52, hours of a week 168, half-hours of a week 336).
/// A candidate needs two and a half periods and an autocorrelation of the differenced series at its lag that is positive and
/// significant at 95% under Bartlett's formula, after a negative one at a shorter lag. The primary season is the shortest significant one that is nearly as
/// strong as the strongest (48 rather than its multiple 336 for half-hourly data); the longest significant one is reported
/// too, so the input window can span it.
/// </summary>
public static class SeasonDetector
{
    public static readonly int[] Candidates = [4, 7, 12, 24, 48, 52, 168, 336];

    /// <summary>Significant seasons: the primary first, then its significant multiples in increasing order (empty: none).</summary>
    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> y) => Detect(y, Candidates);

    /// <summary>
    /// As <see cref="Detect(ReadOnlySpan{double})"/>, testing only <paramref name="candidates"/> (ascending, each at least 2):
    /// the periods a known sampling frequency suggests (12 for months), so a lag that is no calendar period of that
    /// frequency (7 in monthly data) cannot pass by chance. Empty: no season.
    /// </summary>
    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> y, IReadOnlyList<int> candidates)
    {
        int n = y.Length - 1;
        if (n < 12) return [];
        var d = new double[n];
        for (int t = 0; t < n; t++) d[t] = y[t + 1] - y[t];
        int top = 0;
        foreach (var c in candidates) if (5 * c <= 2 * y.Length) top = c;
        if (top == 0) return [];
        var r = SeriesMath.Autocorrelation(d, top + 1);
        var strength = new Dictionary<int, double>();
        foreach (var c in candidates)
        {
            if (c > top) break;
            double differenced = Test(r, c, n);
            // Differencing drowns a smooth season (a daily sine in half-hours) in noise; the remainder after a centred
            // moving average of one period keeps it, so a candidate passes on either.
            double detrended = Test(SeriesMath.Autocorrelation(Remainder(y, c), c + 1), c, y.Length - 2 * (c / 2));
            double best = Math.Max(differenced, detrended);
            if (best > 0) strength[c] = best;
        }
        // Of two neighbouring candidates (48 and 52) the weaker is the stronger one's near miss, not a season of its own.
        foreach (var c in strength.Keys.ToList())
            if (strength.Any(o => o.Key != c && Math.Max(o.Key, c) < 1.2 * Math.Min(o.Key, c) && o.Value > strength[c])) strength.Remove(c);
        if (strength.Count == 0) return [];
        double strongest = strength.Values.Max();
        int primary = strength.Keys.First(c => strength[c] >= 0.8 * strongest);
        return strength.Keys.Where(c => c % primary == 0).ToList();
    }

    /// <summary>
    /// r[c] when it is above 0.2 and 1.96 standard errors (Bartlett), a local peak, and some shorter lag anti-correlates (a
    /// periodic signal does within its period; positive correlation all the way is smoothness, not a season); 0 otherwise.
    /// </summary>
    static double Test(double[] r, int c, int n)
    {
        double sum = 0, lowest = double.PositiveInfinity;
        for (int k = 1; k < c; k++) { sum += r[k] * r[k]; lowest = Math.Min(lowest, r[k]); }
        double se = Math.Sqrt((1 + 2 * sum) / n);
        // A season peaks at its own lag (up to noise); a cycle of 11 years also correlates at 12, but clearly less than at 11.
        bool peak = r[c] >= 0.95 * r[c - 1] && (c + 1 >= r.Length || r[c] >= 0.95 * r[c + 1]);
        return r[c] > 0.2 && r[c] > 1.96 * se && lowest < 0 && peak ? r[c] : 0;
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

namespace LstmService.Forecasting.Statistics;

/// <summary>
/// Season lengths a series shows, tested among the periods that common sampling frequencies suggest (quarters 4, days of a
/// week 7, months 12, hours 24, half-hours 48, weeks 52, hours of a week 168, half-hours of a week 336).
/// A candidate needs two and a half periods and an autocorrelation of the differenced series at its lag that is positive and
/// significant at 95% under Bartlett's formula. The primary season is the shortest significant one that is nearly as
/// strong as the strongest (48 rather than its multiple 336 for half-hourly data); the longest significant one is reported
/// too, so the input window can span it.
/// </summary>
public static class SeasonDetector
{
    public static readonly int[] Candidates = [4, 7, 12, 24, 48, 52, 168, 336];

    /// <summary>Significant seasons: the primary first, then its significant multiples in increasing order (empty: none).</summary>
    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> y)
    {
        int n = y.Length - 1;
        if (n < 12) return [];
        var d = new double[n];
        for (int t = 0; t < n; t++) d[t] = y[t + 1] - y[t];
        int top = 0;
        foreach (var c in Candidates) if (5 * c <= 2 * y.Length) top = c;
        if (top == 0) return [];
        var r = ThetaMethod.Autocorrelation(d, top);
        var prefix = new double[top + 1];
        for (int k = 1; k <= top; k++) prefix[k] = prefix[k - 1] + r[k] * r[k];
        var significant = new List<int>();
        foreach (var c in Candidates)
        {
            if (c > top) break;
            double se = Math.Sqrt((1 + 2 * prefix[c - 1]) / n);
            if (r[c] > 0.2 && r[c] > 1.96 * se) significant.Add(c);
        }
        if (significant.Count == 0) return [];
        double strongest = significant.Max(c => r[c]);
        int primary = significant.First(c => r[c] >= 0.8 * strongest);
        return significant.Where(c => c % primary == 0).ToList();
    }
}

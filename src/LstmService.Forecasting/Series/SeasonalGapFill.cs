namespace LstmService.Forecasting.Series;

/// <summary>
/// A seasonal series' inner gaps filled along its season, as R's <c>forecast::na.interp</c> fills them: the series less its
/// seasonal component is drawn straight across each gap, and the component added back. The component is read locally,
/// from the same phase in the periods just before (a season that drifts is filled as it was then), and from nothing after
/// the value, so a validation window's filled inputs know no more of its targets than a straight line did. A straight
/// line cuts through the season's turns: daily values of a weekly pattern missing 35% of their days had been fitted and
/// calibrated on those lines, their 0.1-0.9 intervals 1.8 times as wide as with every day observed (a QA pass saw it).
/// </summary>
internal static class SeasonalGapFill
{
    /// <summary>
    /// Component and fill alternate this often: the first component reads a moving average over the straight lines, the
    /// second one over the season-filled series.
    /// </summary>
    internal const int Passes = 2;

    /// <summary>Periods before a value whose values of the same phase give its seasonal component.</summary>
    internal const int NeighbourPeriods = 3;

    /// <summary>Periods of the training part below which the straight lines stay: a moving average of one period leaves half of one at each end.</summary>
    internal const int MinimumPeriods = 3;

    /// <summary>
    /// Rewrites the entries of <paramref name="filled"/> (<paramref name="values"/> gap-filled by
    /// <see cref="SeriesMath.FillGaps"/>) where <paramref name="values"/> is missing between two observed values, along season
    /// <paramref name="m"/>. A gap before <paramref name="split"/> (a training part) reads only the values before it, and none
    /// is filled across it (one that reaches it keeps the fill it had). A series whose observed values are never negative
    /// is filled no lower than its smallest one (a training part's gaps: its own smallest one). Leaves <paramref name="filled"/> as it is where the training part holds
    /// fewer than <see cref="MinimumPeriods"/> periods.
    /// </summary>
    public static void Fill(ReadOnlySpan<float> values, Span<float> filled, int m, int split)
    {
        if (m < 2 || split < MinimumPeriods * m || SeriesMath.CountMissing(values) == 0) return;
        var y = new double[values.Length];
        for (int t = 0; t < y.Length; t++) y[t] = filled[t];
        double trainingFloor = Floor(values[..split]), floor = Floor(values);
        var remainder = new double[values.Length];
        for (int pass = 0; pass < Passes; pass++)
        {
            Remainders(values, y, m, remainder);
            var profile = Profile(remainder, m, split);
            Refill(values, remainder, profile, y, 0, split, trainingFloor);
            Refill(values, remainder, profile, y, split, values.Length, floor);
        }
        for (int t = 0; t < y.Length; t++) filled[t] = (float)y[t];
    }

    /// <summary>The smallest observed value of <paramref name="values"/> where none is negative, else -∞ (no floor).</summary>
    static double Floor(ReadOnlySpan<float> values)
    {
        double floor = double.PositiveInfinity;
        foreach (var v in values) if (!float.IsNaN(v)) floor = Math.Min(floor, v);
        return floor >= 0 && double.IsFinite(floor) ? floor : double.NegativeInfinity;
    }

    /// <summary>
    /// Each observed value less the centred moving average of one period of <paramref name="y"/> (2 x m for even m, as
    /// <see cref="SeriesMath.CentredMean"/>), NaN where the value is missing or the average would run past either end.
    /// </summary>
    static void Remainders(ReadOnlySpan<float> values, double[] y, int m, double[] remainder)
    {
        int half = m / 2, n = values.Length;
        var prefix = new double[n + 1];
        for (int t = 0; t < n; t++) prefix[t + 1] = prefix[t] + y[t];
        for (int t = 0; t < n; t++)
        {
            remainder[t] = double.NaN;
            if (t < half || t + half >= n || float.IsNaN(values[t])) continue;
            double sum = prefix[t + half + 1] - prefix[t - half];
            if (m % 2 == 0) sum -= 0.5 * (y[t - half] + y[t + half]);
            remainder[t] = values[t] - sum / m;
        }
    }

    /// <summary>
    /// Per phase, the mean remainder over the training part (whose moving average reads only it), less the phases' mean; 0
    /// for a phase with none (a long season with few periods). A value with no period of its phase observed just before
    /// takes it.
    /// </summary>
    static double[] Profile(double[] remainder, int m, int split)
    {
        var sum = new double[m];
        var count = new int[m];
        for (int t = 0; t + m / 2 < split; t++)
        {
            if (double.IsNaN(remainder[t])) continue;
            sum[t % m] += remainder[t];
            count[t % m]++;
        }
        double total = 0;
        for (int p = 0; p < m; p++)
        {
            if (count[p] > 0) sum[p] /= count[p];
            total += sum[p];
        }
        for (int p = 0; p < m; p++) sum[p] -= total / m;
        return sum;
    }

    /// <summary>
    /// The seasonal component at <paramref name="t"/>: the mean remainder of its phase over the
    /// <see cref="NeighbourPeriods"/> periods before it (each moving average ends before <paramref name="t"/>), else the
    /// training part's <paramref name="profile"/>.
    /// </summary>
    static double Component(double[] remainder, double[] profile, int t)
    {
        int m = profile.Length;
        double sum = 0;
        int count = 0;
        for (int k = 1; k <= NeighbourPeriods && t - k * m >= 0; k++)
        {
            if (double.IsNaN(remainder[t - k * m])) continue;
            sum += remainder[t - k * m];
            count++;
        }
        return count > 0 ? sum / count : profile[t % m];
    }

    /// <summary>
    /// Each missing value of <paramref name="values"/> between two observed ones in [<paramref name="start"/>,
    /// <paramref name="end"/>), in <paramref name="y"/>: the straight line between those neighbours' seasonally adjusted
    /// values plus its own component, no lower than <paramref name="floor"/>.
    /// </summary>
    static void Refill(ReadOnlySpan<float> values, double[] remainder, double[] profile, double[] y, int start, int end, double floor)
    {
        int last = -1;
        for (int t = start; t < end; t++)
        {
            if (float.IsNaN(values[t])) continue;
            if (last >= 0 && t - last > 1)
            {
                double before = values[last] - Component(remainder, profile, last);
                double after = values[t] - Component(remainder, profile, t);
                double span = t - last;
                for (int j = last + 1; j < t; j++)
                    y[j] = Math.Max(floor, before + (after - before) * ((j - last) / span) + Component(remainder, profile, j));
            }
            last = t;
        }
    }
}

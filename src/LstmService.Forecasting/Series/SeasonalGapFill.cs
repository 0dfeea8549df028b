namespace LstmService.Forecasting.Series;

/// <summary>
/// A seasonal series' inner gaps filled along its season, as R's <c>forecast::na.interp</c> fills them: the series less its
/// seasonal component is interpolated across each gap, and the component added back. The component is read locally, from
/// the same phase a few periods either side (as STL's seasonal smoothing reads it), so a season that drifts is filled as it
/// was then. A straight line cuts through the season's turns: daily sales of a weekly pattern missing a third of their
/// days had been fitted and calibrated on those lines, their 0.1-0.9 intervals 2.3 times as wide as with every day
/// observed (a QA pass), while a forecast fills a seasonal model's gaps with its members' forecasts, along the season
/// (<see cref="Models.ForecastModel"/>'s closed gaps).
/// </summary>
internal static class SeasonalGapFill
{
    /// <summary>
    /// Component and fill alternate this often: the first component reads a moving average over the straight lines, the
    /// second one over the season-filled series.
    /// </summary>
    internal const int Passes = 2;

    /// <summary>Periods either side whose values of the same phase give a missing value's seasonal component.</summary>
    internal const int NeighbourPeriods = 3;

    /// <summary>Periods of the training part below which the straight lines stay: a moving average of one period leaves half of one at each end.</summary>
    internal const int MinimumPeriods = 3;

    /// <summary>
    /// Rewrites the entries of <paramref name="filled"/> (<paramref name="values"/> gap-filled by
    /// <see cref="SeriesMath.FillGaps"/>) where <paramref name="values"/> is missing between two observed values, along season <paramref name="m"/>. A
    /// gap before <paramref name="split"/> (a training part) reads only the values before it, and none is filled across it
    /// (one that reaches it keeps its straight line). Leaves <paramref name="filled"/> as it is where the training part
    /// holds fewer than <see cref="MinimumPeriods"/> periods or a phase observed nowhere.
    /// </summary>
    public static void Fill(ReadOnlySpan<float> values, Span<float> filled, int m, int split)
    {
        if (m < 2 || split < MinimumPeriods * m || SeriesMath.CountMissing(values) == 0) return;
        var y = new double[values.Length];
        for (int t = 0; t < y.Length; t++) y[t] = filled[t];
        var remainder = new double[values.Length];
        for (int pass = 0; pass < Passes; pass++)
        {
            Remainders(values, y, m, remainder);
            if (Profile(remainder, m, split) is not { } profile) return;
            Refill(values, remainder, profile, y, 0, split);
            Refill(values, remainder, profile, y, split, values.Length);
        }
        for (int t = 0; t < y.Length; t++) filled[t] = (float)y[t];
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
    /// Per phase, the mean remainder over the training part (whose moving average reads only it), less the phases' mean; null
    /// where a phase has none. A missing value with too few neighbours of its phase nearby takes it.
    /// </summary>
    static double[]? Profile(double[] remainder, int m, int split)
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
            if (count[p] == 0) return null;
            sum[p] /= count[p];
            total += sum[p];
        }
        for (int p = 0; p < m; p++) sum[p] -= total / m;
        return sum;
    }

    /// <summary>
    /// The seasonal component at <paramref name="t"/>: the mean remainder of its phase within <see cref="NeighbourPeriods"/>
    /// periods either side, among values whose moving average ends before <paramref name="end"/>; the whole part's
    /// <paramref name="profile"/> where fewer than two are there.
    /// </summary>
    static double Component(double[] remainder, double[] profile, int t, int end)
    {
        int m = profile.Length;
        double sum = 0;
        int count = 0;
        for (int k = -NeighbourPeriods; k <= NeighbourPeriods; k++)
        {
            int u = t + k * m;
            if (u < 0 || u + m / 2 >= end || double.IsNaN(remainder[u])) continue;
            sum += remainder[u];
            count++;
        }
        return count >= 2 ? sum / count : profile[t % m];
    }

    /// <summary>
    /// Each missing value of <paramref name="values"/> between two observed ones in [<paramref name="start"/>,
    /// <paramref name="end"/>), in <paramref name="y"/>: the straight line between those neighbours' seasonally adjusted
    /// values plus its own component. A gap at either end of the range keeps its nearest value, as a forecast's history
    /// carries it until the model forecasts through it.
    /// </summary>
    static void Refill(ReadOnlySpan<float> values, double[] remainder, double[] profile, double[] y, int start, int end)
    {
        int last = -1;
        for (int t = start; t < end; t++)
        {
            if (float.IsNaN(values[t])) continue;
            if (last >= 0 && t - last > 1)
            {
                double before = values[last] - Component(remainder, profile, last, end);
                double after = values[t] - Component(remainder, profile, t, end);
                double span = t - last;
                for (int j = last + 1; j < t; j++)
                    y[j] = before + (after - before) * ((j - last) / span) + Component(remainder, profile, j, end);
            }
            last = t;
        }
    }
}

namespace LstmService.Forecasting.Series;

/// <summary>Series preparation shared by training and forecasting: gap filling, scaling and season detection.</summary>
public static class SeriesMath
{
    /// <summary>Number of NaN (missing) values.</summary>
    public static int CountMissing(ReadOnlySpan<float> values)
    {
        int n = 0;
        foreach (var v in values) if (float.IsNaN(v)) n++;
        return n;
    }

    /// <summary>
    /// The one rule for "mostly missing": more than half of <paramref name="length"/> values missing. A forecast history's
    /// input window, a training series and a covariate may not be mostly missing; the trainer skips windows whose input is.
    /// </summary>
    public static bool MostlyMissing(int missing, int length) => missing * 2L > length;

    /// <summary>
    /// Copies <paramref name="values"/> into <paramref name="filled"/> with every NaN replaced: linear interpolation
    /// between observed neighbours, the nearest observed value at the ends. Returns false when nothing is observed.
    /// </summary>
    public static bool FillGaps(ReadOnlySpan<float> values, Span<float> filled)
    {
        if (filled.Length < values.Length) throw new ArgumentException("Destination is shorter than the series.", nameof(filled));
        int last = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i])) continue;
            filled[i] = values[i];
            if (last < 0) filled[..i].Fill(values[i]);
            else
                for (int j = last + 1; j < i; j++)
                    filled[j] = values[last] + (values[i] - values[last]) * (j - last) / (i - last);
            last = i;
        }
        if (last < 0) return false;
        filled[(last + 1)..values.Length].Fill(values[last]);
        return true;
    }

    /// <summary>
    /// Centre and unit of a history (already gap-filled) under <paramref name="mode"/>; the window's own level
    /// (its last value) is applied separately for <see cref="ScalingMode.WindowLevel"/>. Never returns a zero scale.
    /// </summary>
    public static (float Center, float Scale) Statistics(ReadOnlySpan<float> history, ScalingMode mode)
    {
        if (history.IsEmpty) return (0f, 1f);
        double center, scale;
        switch (mode)
        {
            case ScalingMode.SeriesZScore:
            {
                double mean = 0, sq = 0;
                foreach (var v in history) mean += v;
                mean /= history.Length;
                foreach (var v in history) sq += (v - mean) * (v - mean);
                center = mean; scale = Math.Sqrt(sq / history.Length);
                break;
            }
            case ScalingMode.SeriesRobust:
            {
                var sorted = history.ToArray();
                Array.Sort(sorted);
                center = Quantile(sorted, 0.5); scale = (Quantile(sorted, 0.75) - Quantile(sorted, 0.25)) / 1.349;
                break;
            }
            default:
            {
                // Typical step size: windows are measured in "usual moves" from their own last level.
                double sum = 0;
                for (int i = 1; i < history.Length; i++) sum += Math.Abs(history[i] - history[i - 1]);
                center = 0; scale = history.Length > 1 ? sum / (history.Length - 1) : 0;
                break;
            }
        }
        double magnitude = 0;
        foreach (var v in history) magnitude = Math.Max(magnitude, Math.Abs(v));
        return ((float)center, (float)Math.Max(scale, ScaleFloor(magnitude)));
    }

    /// <summary>
    /// The least unit a history whose largest absolute value is <paramref name="magnitude"/> is scaled by: relative to the
    /// values' size, so a series in tiny units (1e-8) is scaled as the same series in others, and 1e-6 only for an all-zero
    /// one (an absolute 1e-6 had floored such a series' unit and forecast it as near zeros); 1e-30 keeps it a float above 0.
    /// </summary>
    internal static double ScaleFloor(double magnitude) => magnitude > 0 ? Math.Max(1e-4 * magnitude, 1e-30) : 1e-6;

    static double Quantile(float[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>
    /// Season length from the autocorrelation of the differenced series (3-lag smoothed against weekly-style noise):
    /// among the local peaks above 0.2 between lag 2 and a third of the length, the shortest one within 80% of the
    /// strongest that follows a negative autocorrelation and whose double lag (when in range) also correlates,
    /// so a yearly season in weekly data reads 52, not 104 nor a few weeks of short-range dependence.
    /// 1 (no season) when there is no such peak.
    /// </summary>
    public static int DetectSeason(ReadOnlySpan<float> filled, int maxLag = 400)
    {
        int n = filled.Length - 1;
        if (n < 8) return 1;
        var d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) { d[i] = filled[i + 1] - filled[i]; mean += d[i]; }
        mean /= n;
        double var0 = 0;
        for (int i = 0; i < n; i++) { d[i] -= mean; var0 += d[i] * d[i]; }
        if (var0 <= 0) return 1;
        int top = Math.Min(maxLag, n / 3);
        if (top < 2) return 1;
        int last = Math.Min(n - 1, 2 * top + 3);
        var acf = new double[last + 1];
        for (int lag = 1; lag <= last; lag++)
        {
            double s = 0;
            for (int i = lag; i < n; i++) s += d[i] * d[i - lag];
            acf[lag] = s / var0;
        }
        var smooth = new double[last + 1];
        for (int lag = 2; lag < last; lag++) smooth[lag] = (acf[lag - 1] + acf[lag] + acf[lag + 1]) / 3;
        smooth[1] = acf[1];
        var peaks = new List<int>();
        double best = 0;
        for (int lag = 2; lag <= top && lag + 1 < last; lag++)
            if (smooth[lag] > 0.2 && smooth[lag] >= smooth[lag - 1] && smooth[lag] >= smooth[lag + 1])
            {
                peaks.Add(lag);
                best = Math.Max(best, smooth[lag]);
            }
        // A zero-mean periodic signal anti-correlates somewhere within its period: a peak with only positive
        // correlations before it is short-range dependence (or interpolated gaps), not a season.
        double lowest = double.PositiveInfinity;
        int next = 0;
        foreach (int lag in peaks)
        {
            for (; next < lag; next++) if (next >= 1) lowest = Math.Min(lowest, acf[next]);
            if (smooth[lag] < 0.8 * best || !(lowest < 0)) continue;
            int twice = 2 * lag;
            if (twice + 2 < last)
            {
                double echo = double.NegativeInfinity;
                for (int k = twice - 2; k <= twice + 2; k++) echo = Math.Max(echo, smooth[k]);
                if (echo < 0.5 * smooth[lag]) continue;
            }
            // Refine to the lag whose multiples line up best (misalignment grows with each multiple): 52 rather than 53 for weeks.
            int multiples = Math.Clamp(last / (lag + 2), 1, 3), refined = lag;
            double bestSum = double.NegativeInfinity;
            for (int j = Math.Max(2, lag - 2); j <= lag + 2; j++)
            {
                double sum = 0;
                for (int m = 1; m <= multiples; m++) sum += acf[m * j];
                if (sum > bestSum) { bestSum = sum; refined = j; }
            }
            return refined;
        }
        return 1;
    }

    /// <summary>
    /// Solves the ridge-regularised normal equations (G + λI) w = r in place of <paramref name="rhs"/> by Cholesky;
    /// <paramref name="gram"/> is [p, p] row-major (overwritten) and the last <paramref name="unpenalised"/> unknowns
    /// (intercepts) get no ridge. Deterministic (fixed summation order).
    /// </summary>
    public static void SolveRidge(double[] gram, double[] rhs, int p, double lambda, int unpenalised = 1)
    {
        if (gram.Length < p * p || rhs.Length < p) throw new ArgumentException("Gram matrix or right-hand side too short.");
        double trace = 0;
        for (int i = 0; i < p; i++) trace += gram[i * p + i];
        double jitter = 1e-10 * Math.Max(trace / Math.Max(1, p), 1e-300);
        for (int i = 0; i < p; i++) gram[i * p + i] += (i < p - unpenalised ? lambda : 0) + jitter;
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = gram[i * p + j];
                for (int k = 0; k < j; k++) s -= gram[i * p + k] * gram[j * p + k];
                if (i == j) gram[i * p + i] = Math.Sqrt(Math.Max(s, jitter));
                else gram[i * p + j] = s / gram[j * p + j];
            }
        }
        for (int i = 0; i < p; i++)
        {
            double s = rhs[i];
            for (int k = 0; k < i; k++) s -= gram[i * p + k] * rhs[k];
            rhs[i] = s / gram[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--)
        {
            double s = rhs[i];
            for (int k = i + 1; k < p; k++) s -= gram[k * p + i] * rhs[k];
            rhs[i] = s / gram[i * p + i];
        }
    }

    /// <summary>Sample autocorrelations r[0..maxLag] (r[0] = 1; zeros for a constant series).</summary>
    public static double[] Autocorrelation(ReadOnlySpan<double> y, int maxLag)
    {
        int n = y.Length;
        var r = new double[maxLag + 1];
        double mean = 0;
        foreach (var v in y) mean += v;
        mean /= n;
        double c0 = 0;
        foreach (var v in y) c0 += (v - mean) * (v - mean);
        if (c0 <= 0) return r;
        r[0] = 1;
        for (int k = 1; k <= maxLag && k < n; k++)
        {
            double s = 0;
            for (int t = k; t < n; t++) s += (y[t] - mean) * (y[t - k] - mean);
            r[k] = s / c0;
        }
        return r;
    }

    /// <summary>
    /// Robust deviations (1.4826 median absolute deviations, a normal distribution's standard deviation) from the median
    /// beyond which a step counts as an outlier: a glitch's pair of steps, a level shift. A normal step passes it once in
    /// about 16,000.
    /// </summary>
    public const double OutlierDeviations = 4;

    /// <summary>The median of <paramref name="x"/> and its robust deviation (1.4826 median absolute deviations; 0 for fewer than 3 values).</summary>
    public static (double Median, double Deviation) RobustCentre(ReadOnlySpan<double> x)
    {
        if (x.Length == 0) return (0, 0);
        var sorted = x.ToArray();
        Array.Sort(sorted);
        double median = Median(sorted);
        if (x.Length < 3) return (median, 0);
        for (int i = 0; i < sorted.Length; i++) sorted[i] = Math.Abs(x[i] - median);
        Array.Sort(sorted);
        return (median, 1.4826 * Median(sorted));
    }

    static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);

    /// <summary>The centred moving average of one period at <paramref name="t"/> (2 x m for even m, as R's decompose).</summary>
    public static double CentredMean(ReadOnlySpan<double> y, int t, int m)
    {
        int half = m / 2;
        double sum = 0;
        if (m % 2 == 0)
        {
            for (int j = -half + 1; j < half; j++) sum += y[t + j];
            sum += 0.5 * (y[t - half] + y[t + half]);
        }
        else
            for (int j = -half; j <= half; j++) sum += y[t + j];
        return sum / m;
    }
}

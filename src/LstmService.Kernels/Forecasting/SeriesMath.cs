namespace LstmService.Kernels.Forecasting;

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
        double floor = Math.Max(1e-6, 1e-4 * magnitude);
        return ((float)center, (float)Math.Max(scale, floor));
    }

    static double Quantile(float[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>
    /// Season length from the autocorrelation of the differenced series: the strongest peak between lag 2 and a
    /// third of the length, if it is clearly positive; 1 (no season) otherwise.
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
        var acf = new double[top + 2];
        for (int lag = 1; lag <= top + 1 && lag < n; lag++)
        {
            double s = 0;
            for (int i = lag; i < n; i++) s += d[i] * d[i - lag];
            acf[lag] = s / var0;
        }
        int best = 1;
        double bestValue = 0.2;
        for (int lag = 2; lag <= top; lag++)
            if (acf[lag] > bestValue && acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1]) { best = lag; bestValue = acf[lag]; }
        return best;
    }
}

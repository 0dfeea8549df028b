using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Models;

// The highway's robust fit: least squares, then once more with Huber's weights.
public sealed partial class LinearHighway
{
    /// <summary>Huber's threshold, in robust standard deviations of the largest order's residuals (1.4826 times their median absolute value).</summary>
    public const double HuberThreshold = 3;

    /// <summary>Residuals per series below which its robust scale is the pooled one (a median of a few is noise).</summary>
    const int MinResidualsForOwnScale = 20;

    /// <summary>
    /// <see cref="FitOrders"/>, then once more with Huber's weights (min(1, <see cref="HuberThreshold"/>·s / |r|)) from the
    /// largest fitted order's residuals r, s each series' robust scale of them: a window whose target is an outlier (a
    /// glitch, a one-off spike) counts as one <see cref="HuberThreshold"/> robust deviations off. Least squares let one
    /// spike of ten times the series' level, as its last value, pull every coefficient until the iterated forecast exploded
    /// (a series of 20 forecast at 21,858 six steps on); a series without such residuals gets the plain fit unchanged. An
    /// outlier among the inputs (a spike the next windows read) keeps much of its pull, Huber's weights bounding the
    /// residual's, not the input's, influence; the rolling origins' weights then judge the highway on the forecasts it makes
    /// after one. The residuals are the largest order's, on the targets <see cref="FitOrders"/> reads; a window only smaller
    /// orders read (the first ones, or one whose gap only the largest counts as mostly missing) keeps weight 1.
    /// </summary>
    internal static float[]?[] FitOrdersRobust(IReadOnlyList<SeriesPart> parts, IReadOnlyList<int> orders, bool relative, double ridge = 1e-3)
    {
        var plain = FitOrders(parts, orders, relative, ridge);
        int chosen = -1;
        for (int k = 0; k < orders.Count; k++)
            if (plain[k] is not null && (chosen < 0 || orders[k] > orders[chosen])) chosen = k;
        if (chosen < 0) return plain;
        int order = orders[chosen], features = relative ? order - 1 : order, smallest = orders.Min();
        var c = plain[chosen]!;
        var x = new double[features + 1];
        // The same targets FitOrders reads (its thinning counts from the smallest order's first target).
        long targets = parts.Sum(part => (long)Math.Max(0, part.To - Math.Max(smallest, part.From))), index = -1;
        var residuals = new List<(int T, double R)>[parts.Count];
        for (int i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var f = part.Filled; var raw = part.Raw;
            double inv = 1.0 / part.Scale;
            residuals[i] = [];
            for (int t = Math.Max(smallest, part.From); t < part.To; t++)
            {
                index++;
                if (Thinned(index, targets) || t < order || float.IsNaN(raw[t]) || InputMostlyMissing(raw, t, order)) continue;
                double level = relative ? f[t - 1] : part.Center;
                Features(f, t, order, level, inv, relative, x);
                double forecast = 0;
                for (int j = 0; j <= features; j++) forecast += c[j] * x[j];
                residuals[i].Add((t, (raw[t] - level) * inv - forecast));
            }
        }
        double pooled = MedianMagnitude(residuals.SelectMany(r => r).Select(r => r.R));
        var weights = new double[]?[parts.Count];
        bool any = false;
        for (int i = 0; i < parts.Count; i++)
        {
            // Each series' own scale: pooled, a hard series' ordinary residuals would look like a smooth one's outliers.
            double scale = residuals[i].Count >= MinResidualsForOwnScale ? MedianMagnitude(residuals[i].Select(r => r.R)) : pooled;
            double threshold = HuberThreshold * 1.4826 * scale;
            if (!(threshold > 0)) continue;
            foreach (var (t, r) in residuals[i])
            {
                if (Math.Abs(r) <= threshold) continue;
                (weights[i] ??= Enumerable.Repeat(1.0, parts[i].To).ToArray())[t] = threshold / Math.Abs(r);
                any = true;
            }
        }
        return any ? FitOrders(parts, orders, relative, ridge, weights) : plain;
    }

    static double MedianMagnitude(IEnumerable<double> values)
    {
        var magnitudes = values.Select(Math.Abs).ToArray();
        if (magnitudes.Length == 0) return double.NaN;
        Array.Sort(magnitudes);
        return magnitudes[magnitudes.Length / 2];
    }
}

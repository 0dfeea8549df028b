using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;

namespace LstmService.Forecasting.Evaluation;

/// <summary>
/// Conformal-style calibration of quantile heads: each quantile head is shifted by the empirical quantile of its residuals
/// (target minus prediction), so that a share τ of the targets falls below the shifted τ head. Done per horizon step,
/// pooling neighbouring steps until at least <see cref="MinSamples"/> residuals.
/// The residuals are those of the model that held the validation part out, over every window: out-of-sample on the
/// validation part and in-sample on the training part. The validation part alone is one short stretch of history
/// whose shocks would set the width for every later period (on the CO2 benchmark it holds the 1991-98 anomalies and gives
/// 91% coverage for a nominal 80% interval); pooling in the training windows gives a long-run estimate, only mildly
/// optimistic because the network stopped early on the validation loss and the highway is a closed-form AR with few
/// parameters.
/// </summary>
public static class Conformal
{
    public const int MinSamples = 30;

    /// <summary>Offsets [Q, Horizon] in encoded units for <paramref name="model"/> (built without calibration, validation held out).</summary>
    internal static float[] Offsets(ForecastModel model, WindowedData data, float[] quantiles, CancellationToken cancellationToken = default)
    {
        var windows = data.Train.Concat(data.Validation).ToList();
        int s = data.Horizon, q = quantiles.Length, w = data.Window, o = s * (1 + q), n = windows.Count;
        const int chunk = 256;
        var layout = data.Layout;
        var x = new float[chunk * w];
        var input = layout.Plain ? x : new float[chunk * layout.RowLength];
        var targets = new float[n * s];
        var predictions = new float[n * o];
        for (int start = 0; start < n; start += chunk)
        {
            // Once per batch of windows, so a cancel or the job's time limit is seen within one batch's inference.
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(chunk, n - start);
            for (int r = 0; r < rows; r++)
            {
                int i = start + r;
                var win = windows[i];
                var (level, scale) = ForecastModel.EncodeWindow(data.Filled[win.Series], win.TargetStart, w, data.Scaling, data.Stats[win.Series], x.AsSpan(r * w, w));
                if (!layout.Plain)
                    layout.Encode(x.AsSpan(r * w, w), data.Covariates[win.Series], data.CovariateStats[win.Series], win.TargetStart, input.AsSpan(r * layout.RowLength, layout.RowLength));
                var raw = data.Raw[win.Series];
                for (int t = 0; t < s; t++) targets[i * s + t] = (raw[win.TargetStart + t] - level) / scale;
            }
            model.Predict(input, x, rows).CopyTo(predictions, start * o);
        }
        var closed = ClosedPhases(model, data);
        var offsets = new float[q * s];
        for (int k = 0; k < q; k++)
        {
            // Direct heads are shifted; a recursive model's quantiles are the mean path plus the offsets.
            int block = model.Strategy == ForecastStrategy.Recursive ? 0 : 1 + k;
            var perStep = new float[s][];
            for (int t = 0; t < s; t++)
            {
                var list = new List<float>(n);
                for (int i = 0; i < n; i++)
                {
                    float y = targets[i * s + t];
                    if (float.IsNaN(y) || IsClosed(closed, windows[i], t)) continue;
                    list.Add(y - predictions[i * o + block * s + t]);
                }
                perStep[t] = list.ToArray();
            }
            // Symmetric offsets suit residuals from the mean path alone: a direct head's are from its own quantile.
            PooledQuantiles(perStep, quantiles[k], offsets.AsSpan(k * s, s), symmetricWhenFew: block == 0);
        }
        return offsets;
    }

    /// <summary>
    /// Per series of <paramref name="data"/>, its closed phases (<see cref="ClosedPhases(IReadOnlyList{float}, int)"/>) where
    /// <paramref name="model"/> forecasts such phases as a fixed 0 (<see cref="ForecastModel.FixedSteps"/>: a season, the plain
    /// scale, no covariates), else null. Their residuals, all near 0, would set the open phases' width: five closed days of seven
    /// had left the open days' 0.1-0.9 intervals at 0.49 coverage.
    /// </summary>
    internal static bool[]?[] ClosedPhases(ForecastModel model, WindowedData data)
    {
        var closed = new bool[]?[data.Raw.Length];
        if (model.SeasonLength >= 2 && model.Transform == Statistics.SeriesTransform.None && model.Covariates.Count == 0)
            for (int series = 0; series < closed.Length; series++) closed[series] = ClosedPhases(data.Raw[series], model.SeasonLength);
        return closed;
    }

    /// <summary>Whether step <paramref name="t"/> of <paramref name="window"/> falls on a closed phase of its series (<see cref="ClosedPhases(ForecastModel, WindowedData)"/>).</summary>
    internal static bool IsClosed(bool[]?[] closed, WindowRef window, int t) =>
        closed[window.Series] is { } phases && phases[(window.TargetStart + t) % phases.Length];

    /// <summary>
    /// The phases of season <paramref name="m"/> at which <paramref name="raw"/> is 0 in every period it observes them (at least
    /// <see cref="ForecastModel.FixedPhasePeriods"/>), or null where none or every phase is, or where the other phases' own zeros
    /// make that likely by chance (<see cref="ForecastModel.FixedByChance"/>, as the forecast's fixed steps judge it).
    /// </summary>
    internal static bool[]? ClosedPhases(IReadOnlyList<float> raw, int m)
    {
        var observed = new int[m];
        var zeros = new int[m];
        for (int t = 0; t < raw.Count; t++)
        {
            if (float.IsNaN(raw[t])) continue;
            observed[t % m]++;
            if (raw[t] == 0) zeros[t % m]++;
        }
        var closed = new bool[m];
        int closedPhases = 0, periods = int.MaxValue, others = 0, otherZeros = 0;
        for (int phase = 0; phase < m; phase++)
        {
            closed[phase] = observed[phase] >= ForecastModel.FixedPhasePeriods && zeros[phase] == observed[phase];
            if (closed[phase]) { closedPhases++; periods = Math.Min(periods, observed[phase]); }
            else { others += observed[phase]; otherZeros += zeros[phase]; }
        }
        if (closedPhases == 0 || closedPhases == m || others == 0) return null;
        double share = (double)otherZeros / others;
        return m * Math.Pow(share, periods) <= ForecastModel.FixedByChance ? closed : null;
    }

    /// <summary>
    /// Per horizon step, the τ-quantile of that step's residuals, pooled with neighbouring steps until at least
    /// <see cref="MinSamples"/> (0 where there is none). With <paramref name="symmetricWhenFew"/>, where even every step
    /// together holds fewer, the offsets are symmetric instead (<see cref="SymmetricOffset"/>).
    /// </summary>
    internal static void PooledQuantiles(float[][] perStep, double tau, Span<float> offsets, bool symmetricWhenFew = false)
    {
        int s = perStep.Length;
        for (int t = 0; t < s; t++)
        {
            var pooled = new List<float>(perStep[t]);
            for (int r = 1; pooled.Count < MinSamples && (t - r >= 0 || t + r < s); r++)
            {
                if (t - r >= 0) pooled.AddRange(perStep[t - r]);
                if (t + r < s) pooled.AddRange(perStep[t + r]);
            }
            offsets[t] = pooled.Count == 0 ? 0
                : symmetricWhenFew && pooled.Count < MinSamples ? (float)SymmetricOffset(pooled, tau)
                : (float)EmpiricalQuantile(pooled, tau);
        }
    }

    /// <summary>
    /// The offset of level τ from a handful of residuals: the (|2τ - 1|)-quantile of their absolute values, below the
    /// forecast for τ under 0.5 and above it over, with split conformal's correction (level · (n + 1) / n). The skew and the
    /// median of a few residuals are noise: from the three values of a series, one residual had set every quantile, the
    /// median one below every observed value.
    /// </summary>
    public static double SymmetricOffset(IReadOnlyList<float> residuals, double tau)
    {
        if (residuals.Count == 0) throw new ArgumentException("No residuals.", nameof(residuals));
        if (tau == 0.5) return 0;
        var magnitudes = residuals.Select(MathF.Abs).ToArray();
        Array.Sort(magnitudes);
        int n = magnitudes.Length;
        double reach = Interpolated(magnitudes, Math.Min(1, Math.Abs(2 * tau - 1) * (n + 1) / n));
        return tau < 0.5 ? -reach : reach;
    }

    /// <summary>
    /// The τ-quantile of <paramref name="values"/> (linear interpolation between order statistics), pushed outward by the
    /// finite-sample correction of split conformal prediction (level τ + (τ - 0.5) / n).
    /// </summary>
    public static double EmpiricalQuantile(IReadOnlyList<float> values, double tau)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Interpolated(sorted, Math.Clamp(tau + (tau - 0.5) / sorted.Length, 0, 1));
    }

    /// <summary>The <paramref name="level"/> quantile of <paramref name="sorted"/>, interpolated linearly between order statistics.</summary>
    static double Interpolated(float[] sorted, double level)
    {
        double pos = level * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}

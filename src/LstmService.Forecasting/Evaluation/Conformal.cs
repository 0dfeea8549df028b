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
        var fixedPhases = FixedPhases(model, data, windows);
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
                    if (float.IsNaN(y) || IsFixed(fixedPhases, i, t)) continue;
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
    /// Per window, the phases a forecast from its origin fixes at 0 (<see cref="ForecastModel.FixedPhasesAt"/>: a shop's closed
    /// days), or null: their residuals are left out of the calibration, as the forecast does not use it there.
    /// </summary>
    internal static bool[]?[] FixedPhases(ForecastModel model, WindowedData data, IReadOnlyList<WindowRef> windows)
    {
        var phases = new bool[]?[windows.Count];
        for (int i = 0; i < windows.Count; i++) phases[i] = model.FixedPhasesAt(data.Filled[windows[i].Series], windows[i].TargetStart);
        return phases;
    }

    /// <summary>Whether step <paramref name="t"/> of window <paramref name="i"/> is one its forecast fixes (<see cref="FixedPhases"/>).</summary>
    internal static bool IsFixed(bool[]?[] fixedPhases, int i, int t) => fixedPhases[i] is { } phases && phases[t % phases.Length];

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

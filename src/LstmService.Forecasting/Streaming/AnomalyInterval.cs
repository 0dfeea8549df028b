using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Streaming;

/// <summary>
/// The interval outside which a streamed value is an anomaly (by default the 0.01 and 0.99 quantiles). A model's quantiles
/// are calibrated only at the levels it was trained for (conformal offsets of the residuals at each level, which training
/// does not keep). A level the model has is used as it is; otherwise the interval extends the model's widest calibrated
/// symmetric pair (say 0.1-0.9) with a normal shape on the model's own scale (log for a log-transformed model): centre
/// the pair's midpoint, spread the pair's width over its normal width. So the flagging interval grows and shrinks with the
/// calibrated one, step by step; the normal tails are an assumption, stated as such.
/// </summary>
public static class AnomalyInterval
{
    /// <summary>The interval for each step of <paramref name="forecast"/>, or null for a model without a symmetric quantile pair.</summary>
    public static (float[] Lower, float[] Upper)? Of(ForecastModel model, SeriesForecast forecast, float low, float high)
    {
        var levels = model.Quantiles;
        int steps = forecast.Mean.Length;
        if (Exact(forecast, low) is { } lower && Exact(forecast, high) is { } upper) return (lower, upper);
        var pairs = Evaluation.Backtest.IntervalPairs(levels);
        if (pairs.Count == 0) return null;
        var (qLow, qHigh) = pairs.MinBy(p => p.Low);
        var a = forecast.Quantiles[qLow];
        var b = forecast.Quantiles[qHigh];
        double zPair = NormalQuantile(qHigh) - NormalQuantile(qLow), zLow = NormalQuantile(low), zHigh = NormalQuantile(high);
        // A model that regresses its covariates' levels out first works on the log scale of the series less their effect, not
        // of the series, where the effect adds: its quantiles are extended on the series' own scale. A multiplicative effect
        // adds on the log scale, so there the series' logarithm is the model's less it.
        bool log = model.LogOfGiven;
        var lo = new float[steps];
        var hi = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            double x = log ? Math.Log(Math.Max(a[t], 1e-30f)) : a[t], y = log ? Math.Log(Math.Max(b[t], 1e-30f)) : b[t];
            double centre = (x + y) / 2, sigma = (y - x) / zPair;
            double l = centre + zLow * sigma, h = centre + zHigh * sigma;
            lo[t] = Saturated(log ? Math.Exp(l) : l);
            hi[t] = Saturated(log ? Math.Exp(h) : h);
            if (forecast.ClampedAtZero && lo[t] < 0) lo[t] = 0;
            // The forecast's own quantiles stop at the bound; their extension had lain a little above it.
            if (model.UpperBound is { } bound) { hi[t] = Math.Min(hi[t], bound); lo[t] = Math.Min(lo[t], bound); }
        }
        return (lo, hi);
    }

    /// <summary>
    /// <paramref name="x"/> as a float, held at ±<see cref="float.MaxValue"/> where it lies beyond: the extension of a forecast at
    /// the largest float had been infinite, which JSON cannot hold, where the forecast itself saturates (<see cref="SeriesTransforms.Inverse"/>).
    /// </summary>
    static float Saturated(double x) => (float)Math.Clamp(x, -float.MaxValue, float.MaxValue); // NaN stays NaN

    static float[]? Exact(SeriesForecast forecast, float level)
    {
        foreach (var (q, band) in forecast.Quantiles)
            if (MathF.Abs(q - level) < 1e-6f) return band;
        return null;
    }

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability in (0, 1).");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double split = 0.02425;
        if (p < split)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - split) return -NormalQuantile(1 - p);
        double r = p - 0.5, s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}

using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Models;

// Where a forecast meets zero: whether it is clamped there, and where its lower quantiles sit on it.
public sealed partial class ForecastModel
{
    /// <summary>
    /// Whether a forecast from this window is clamped at zero: the model's clamp was asked for, or it was chosen from data
    /// without negative values and the window holds none either (on the series' own scale: the covariate levels' effect
    /// put back). A history with negative values is outside what such a model was trained on: it had been forecast as
    /// zeros, silently, and is now forecast as it comes. A value below zero by a millionth of the window's largest is a
    /// rounding error (a computed zero, an effect taken out and added back), not a negative value.
    /// </summary>
    bool ReadsNonNegative(ReadOnlySpan<float> window, float[][]? covariates)
    {
        if (!NonNegative || NonNegativeDeclared) return NonNegative;
        if (LogOfGiven) return true;
        float lowest = 0, largest = 0;
        for (int j = 0; j < window.Length; j++)
        {
            float value = SeriesTransforms.Inverse(Transform, window[j]);
            if (CovariateLevels is { } levels && covariates is not null) value = levels.Put(value, levels.Effect(covariates, j));
            if (value < lowest) lowest = value; // a comparison, so a NaN (MathF.Min's answer for one) hides no later value
            if (float.IsFinite(value)) largest = MathF.Max(largest, MathF.Abs(value));
        }
        return !(lowest < -1e-6f * largest);
    }

    /// <summary>
    /// Below what a lower quantile (level under 0.5) of a forecast clamped at zero reads as zero: half the smallest positive
    /// value of a window that also holds zeros (a count's unit, where the series' values come in units), on the plain scale and without covariate
    /// levels; 0 (none) otherwise. The calibrated offsets are continuous, so a series that is zero more often than a level's
    /// share had quantiles just above it: Poisson counts of mean 0.5 got 0.1 quantiles of 0.002-0.005, which left out every
    /// zero: 0.55 of the values inside the 0.1-0.9 interval (a QA pass). The median and the upper quantiles stay: one below
    /// the atom set to zero would close the interval on a quiet day (a phase closed only where every recent period was, <see cref="FixedSteps"/>).
    /// </summary>
    float ZeroAtomOf(ReadOnlySpan<float> window, bool clampAtZero)
    {
        if (!clampAtZero || Transform != SeriesTransform.None || CovariateLevels is not null) return 0;
        bool zero = false;
        float smallest = float.PositiveInfinity;
        foreach (float v in window)
        {
            if (v == 0) zero = true;
            else if (v > 0 && v < smallest) smallest = v;
        }
        return zero && float.IsFinite(smallest) ? smallest / 2 : 0;
    }

    /// <summary>Each lower quantile of <paramref name="forecast"/> from 0 up to <paramref name="atom"/> set to 0 (the rest as they are), in place.</summary>
    static void WithZeroAtom(SeriesForecast forecast, float atom)
    {
        foreach (var (level, band) in forecast.Quantiles)
            if (level < 0.5f)
                for (int t = 0; t < band.Length; t++)
                    if (band[t] >= 0 && band[t] < atom) band[t] = 0;
    }
}

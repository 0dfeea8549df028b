using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Models;

// The checks of a history less its covariate levels' effect, which is what the rest of a model with covariate levels reads.
public sealed partial class ForecastModel
{
    /// <summary>
    /// Why <paramref name="adjusted"/> (<paramref name="given"/> less the covariate levels' effect of
    /// <paramref name="covariates"/>, [covariate][step]) cannot be read at its first such value, or null: on the log scale the
    /// rest of the model reads logarithms, so each adjusted value must stay positive (the model was trained on adjusted values
    /// that were). The field names that value's element, <c>history[t]</c>, or the element of the covariate whose effect put it
    /// out of range, <c>covariates.promo[t]</c>: a caller who sent a covariate of 1e6 is told which one and where.
    /// </summary>
    (string Field, string Message)? AdjustedProblem(float[] given, float[] adjusted, float[][] covariates)
    {
        bool log = Transform == SeriesTransform.Log;
        int t = Array.FindIndex(adjusted, v => float.IsInfinity(v) || log && !float.IsNaN(v) && !(v > 0));
        if (t < 0) return null;
        float v = adjusted[t];
        string message = float.IsInfinity(v)
            ? $"a value less its covariates' effect {LevelNames} is beyond the 32-bit float range."
            : CovariateLevels!.Multiplicative
                ? $"the covariates' factor {LevelNames} is out of range: a value divided by it is {v}."
                : $"this model works on the log scale of the series less its covariates' effect {LevelNames}, and a value less that effect is {v}: it must stay positive.";
        int culprit = Culprit(given[t], covariates, t);
        return culprit < 0 ? ($"history[{t}]", message) : ($"covariates.{_covariates[culprit]}[{t}]", message);
    }

    /// <summary>
    /// The covariate whose effect at step <paramref name="t"/> is the largest, where it is what put the value out of range:
    /// always for a multiplicative factor (the value itself is positive, checked before), and for an additive effect when it
    /// outweighs the value; -1 (the value's own fault) otherwise.
    /// </summary>
    int Culprit(float value, float[][] covariates, int t)
    {
        var levels = CovariateLevels!;
        int culprit = -1;
        double largest = 0;
        for (int k = 0; k < covariates.Length; k++)
        {
            if (!levels.Reads(k) || float.IsNaN(covariates[k][t])) continue;
            double effect = Math.Abs(levels.Coefficients[k] * (double)covariates[k][t]);
            if (effect > largest) (culprit, largest) = (k, effect);
        }
        return culprit >= 0 && (levels.Multiplicative || largest >= Math.Abs(value)) ? culprit : -1;
    }

    /// <summary>The covariates the levels read, for messages: "(price, promo)".</summary>
    string LevelNames => $"({string.Join(", ", _covariates.Where((_, k) => CovariateLevels!.Reads(k)))})";
}

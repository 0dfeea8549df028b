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
        int t = FirstOutOfRange(adjusted);
        if (t < 0) return null;
        var step = new float[covariates.Length];
        for (int k = 0; k < step.Length; k++) step[k] = covariates[k][t];
        int culprit = Culprit(given[t], adjusted[t], step);
        return (culprit < 0 ? $"history[{t}]" : $"covariates.{_covariates[culprit]}[{t}]", AdjustedMessage(adjusted[t]));
    }

    /// <summary>What is wrong with <paramref name="adjusted"/>, a value less its covariates' effect out of range.</summary>
    string AdjustedMessage(float adjusted) => float.IsInfinity(adjusted)
        ? $"a value less its covariates' effect {LevelNames} is beyond the 32-bit float range."
        : CovariateLevels!.Multiplicative
            ? $"the covariates' factor {LevelNames} is out of range: a value divided by it is {adjusted}."
            : $"this model works on the log scale of the series less its covariates' effect {LevelNames}, and a value less that effect is {adjusted}: it must stay positive.";

    /// <summary>The first of <paramref name="adjusted"/> the rest of the model cannot read (infinite, or not positive on the log scale), or -1.</summary>
    int FirstOutOfRange(ReadOnlySpan<float> adjusted)
    {
        bool log = Transform == SeriesTransform.Log;
        for (int t = 0; t < adjusted.Length; t++)
            if (float.IsInfinity(adjusted[t]) || log && !float.IsNaN(adjusted[t]) && !(adjusted[t] > 0)) return t;
        return -1;
    }

    /// <summary>
    /// The covariate that pushed <paramref name="value"/> out of range (<paramref name="step"/>: the covariates' values at its
    /// step): of those whose effect there pushes the way the value went (up for a value taken to zero or below, down for one
    /// taken to Infinity), the largest; -1, the value's own fault, where it is itself out of range on the log scale (an
    /// additive effect's) or no covariate pushed that way.
    /// </summary>
    int Culprit(float value, float adjusted, ReadOnlySpan<float> step)
    {
        var levels = CovariateLevels!;
        if (!levels.Multiplicative && Transform == SeriesTransform.Log && !(value > 0)) return -1;
        int push = adjusted > 0 ? -1 : 1;
        int culprit = -1;
        double largest = 0;
        for (int k = 0; k < step.Length; k++)
        {
            if (!levels.Reads(k) || float.IsNaN(step[k])) continue;
            double effect = push * levels.Coefficients[k] * (double)step[k];
            if (effect > largest) (culprit, largest) = (k, effect);
        }
        return culprit;
    }

    /// <summary>The covariates the levels read, for messages: "(price, promo)".</summary>
    /// <summary>What a "mostly missing" refusal adds for a model that regresses covariates out (empty for one that does not).</summary>
    string MissingCovariatesNote => CovariateLevels is null ? "" : $" A value whose covariates {LevelNames} are missing counts as missing.";

    string LevelNames => $"({string.Join(", ", _covariates.Where((_, k) => CovariateLevels!.Reads(k)))})";
}

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

public static partial class ForecastTrainer
{
    /// <summary>
    /// The regression on the known covariates' levels (<see cref="CovariateLevels"/>) for a model of one series whose classical
    /// members the network corrects, on the differences of the series' first season (1 without one); null otherwise, or when
    /// no known covariate's coefficient is significant. Additive, or multiplicative (on the logarithm) where the series is
    /// positive and the log scale was not refused (a request for it asks for the multiplicative one): of the two, the one
    /// that carried the covariates' changes into the validation part the better (<see cref="HeldOutErrors"/>), additive on a
    /// tie or without a validation part. A promotion that lifts sales by a share had been read as the same amount on every
    /// day: 5% too little on weekend days, and a holiday that cut a Saturday's sales to 0.4 of them was forecast 20% too
    /// high, its 0.1-0.9 interval holding the truth on 36% of such days. The likelier fit alone (the AICc of the series less
    /// each effect, as <see cref="ChooseTransform"/> compares scales) chose the multiplicative form for daily ozone against
    /// temperature, whose forecasts it made twice too high where a hot week followed a cool one.
    /// </summary>
    static CovariateLevels? FitCovariateLevels(SeriesSet set, TrainingOptions options)
    {
        if (set.Count != 1 || options.FutureCovariates.Length == 0 || !options.Statistics || !options.CorrectStatistics
            || options.Strategy != ForecastStrategy.Direct || options.WithoutCovariateLevels) return null;
        var candidates = set.CovariateNames.Select(n => options.FutureCovariates.Contains(n, StringComparer.Ordinal)).ToArray();
        var seasons = Seasons(set, options);
        int difference = seasons.Count > 0 ? seasons[0] : 1;
        var raw = set.Raw[0];
        var additive = options.Transform == SeriesTransform.Log ? null : CovariateLevels.Fit(raw, set.CovariatesRaw[0], candidates, difference);
        var multiplicative = options.Transform != SeriesTransform.None && SeriesTransforms.Positive(raw)
            ? CovariateLevels.Fit(raw, set.CovariatesRaw[0], candidates, difference, multiplicative: true) : null;
        if (options.Transform == SeriesTransform.Log || multiplicative is null) return multiplicative ?? additive;
        // Where only the multiplicative form is significant it must still win the same comparison (a tie, when the additive
        // one reads nothing on the training part, leaves the series without either): a fit alone is what it overrules.
        var (byMultiplying, byAdding) = HeldOutErrors(set, candidates, difference, options.Horizon);
        return byMultiplying < byAdding ? multiplicative : additive;
    }

    /// <summary>
    /// The absolute errors, summed over the validation part, of the value k steps before moved by each form's change of
    /// effect (k whole seasons, to the first that reaches the horizon), each regression fitted on the training part alone:
    /// how each form carries a known covariate's change into a forecast it has not seen. Infinite for both (a tie) where
    /// nothing is held out or either form reads no covariate on the training part.
    /// </summary>
    static (double Multiplicative, double Additive) HeldOutErrors(SeriesSet set, bool[] candidates, int difference, int horizon)
    {
        var raw = set.Raw[0];
        var covariates = set.CovariatesRaw[0];
        int split = set.ValidationStart[0];
        if (!set.HasValidation || split >= raw.Length) return (double.PositiveInfinity, double.PositiveInfinity);
        var part = covariates.Select(c => c[..split]).ToArray();
        var additive = CovariateLevels.Fit(raw[..split], part, candidates, difference);
        var multiplicative = CovariateLevels.Fit(raw[..split], part, candidates, difference, multiplicative: true);
        // Neither form read on the training part alone (a law in force only from the validation part on): nothing to tell
        // them apart. One alone would be compared with no effect at all, not with the other form: a tie too.
        if (additive is null || multiplicative is null) return (double.PositiveInfinity, double.PositiveInfinity);
        double a = 0, m = 0;
        // From the value whole seasons back (the differences the coefficients were estimated on), so the season does not
        // drown the covariate's share of the error; as far back as the horizon reaches.
        int seasons = Math.Max(1, (horizon + difference - 1) / difference);
        for (int t = split; t < raw.Length; t++)
            for (int k = difference; k <= seasons * difference && t - k >= 0; k += difference)
            {
                float y = raw[t], origin = raw[t - k];
                if (float.IsNaN(y) || float.IsNaN(origin)) continue;
                float fa = origin + additive.Effect(covariates, t) - additive.Effect(covariates, t - k);
                float fm = origin * MathF.Exp(multiplicative.Effect(covariates, t) - multiplicative.Effect(covariates, t - k));
                if (float.IsNaN(fa) || float.IsNaN(fm)) continue;
                a += Math.Abs(y - fa);
                m += Math.Abs(y - fm);
            }
        return (m, a);
    }
}

using LstmService.Registry;

namespace LstmService.Models;

/// <summary>
/// The regression on the covariates known in advance that a version takes out of its series first (regression with errors,
/// as R's auto.arima(xreg = ...)): every other forecaster reads the series less Σ coefficient x covariate (divided by its
/// exponential where <c>multiplicative</c>), and a forecast puts it back from the covariates' given future.
/// </summary>
/// <param name="Coefficients">Per covariate read: the series' change per unit of it, on the series' own scale (estimated on
/// the differences below; a covariate whose t-statistic there was below 2 is not read); with <c>multiplicative</c>, its
/// logarithm's change (a unit of the covariate multiplies the series by exp(coefficient): 0.336 is 1.4 times).</param>
/// <param name="Difference">The lag of the differences the coefficients were estimated on: the series' season, or 1 without one.</param>
/// <param name="Multiplicative">Whether the effect multiplies the series, by exp(Σ coefficient x covariate): chosen on a positive
/// series where it carried the covariates' changes into the validation part better than an amount (a promotion that lifts
/// sales by a share), or where the log scale was asked for; false where it adds.</param>
public sealed record CovariateLevelsResponse(IReadOnlyDictionary<string, float> Coefficients, int Difference, bool Multiplicative)
{
    public static CovariateLevelsResponse? From(CovariateLevelsInfo? levels) => levels is null ? null : new(levels.Coefficients, levels.Difference, levels.Multiplicative);
}

namespace LstmService.Registry;

/// <summary>
/// The regression on the known covariates' levels a version takes out of its series before its other forecasters read it,
/// and puts back over the horizon from the covariates' given future (adds, or multiplies where <paramref name="Multiplicative"/>).
/// </summary>
/// <param name="Coefficients">Per covariate read: the series' change per unit of it (on the series' own scale), or its
/// logarithm's where <paramref name="Multiplicative"/>.</param>
/// <param name="Difference">The difference order the coefficients were estimated on: the series' season, or 1.</param>
/// <param name="Multiplicative">Whether the effect multiplies the series (by exp of Σ coefficient x covariate); false (and
/// absent in versions stored before it existed) where it adds.</param>
public sealed record CovariateLevelsInfo(IReadOnlyDictionary<string, float> Coefficients, int Difference, bool Multiplicative = false);

namespace LstmService.Registry;

/// <summary>
/// The regression on the known covariates' levels a version takes out of its series before its other forecasters read it,
/// and adds back over the horizon from the covariates' given future.
/// </summary>
/// <param name="Coefficients">Per covariate read: the series' change per unit of it (on the series' own scale).</param>
/// <param name="Difference">The difference order the coefficients were estimated on: the series' season, or 1.</param>
public sealed record CovariateLevelsInfo(IReadOnlyDictionary<string, float> Coefficients, int Difference);

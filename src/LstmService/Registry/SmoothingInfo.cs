namespace LstmService.Registry;

/// <summary>An exponential smoothing model.</summary>
/// <param name="Name">Its ETS(error, trend, season) name, e.g. ETS(A,Ad,A): additive errors, damped trend, additive season.</param>
/// <param name="Season">Its season length (1 = none).</param>
public sealed record SmoothingInfo(string Name, int Season);

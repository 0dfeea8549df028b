using LstmService.Registry;

namespace LstmService.Models;

/// <summary>An exponential smoothing model.</summary>
/// <param name="Name">Its ETS(error, trend, season) name, e.g. ETS(A,Ad,A): additive errors, damped trend, additive season.</param>
/// <param name="Season">Its season length (1 = none).</param>
public sealed record SmoothingResponse(string Name, int Season)
{
    public static SmoothingResponse From(SmoothingInfo smoothing) => new(smoothing.Name, smoothing.Season);
}

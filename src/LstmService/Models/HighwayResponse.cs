using LstmService.Registry;

namespace LstmService.Models;

/// <summary>The linear autoregressive highway (as in LSTNet): AR models fitted in closed form on the scaled windows, iterated to the horizon and averaged.</summary>
/// <param name="Orders">Lags each AR model reads (the orders that validated best).</param>
/// <param name="Window">Values the highway reads: the highest order (at most the input window).</param>
/// <param name="Relative">Differenced form (models the next value relative to the last one; goes with windowLevel scaling).</param>
/// <param name="Map">Given as its composed linear map (a registered state_dict's highway.weight/bias) rather than as AR coefficients.</param>
public sealed record HighwayResponse(IReadOnlyList<int> Orders, int Window, bool Relative, bool Map)
{
    public static HighwayResponse? From(HighwayInfo? highway) =>
        highway is null ? null : new(highway.Orders, highway.Window, highway.Relative, highway.Map);
}

using LstmService.Kernels;

namespace LstmService.Forecasting.Models;

// The ensemble's members, split out of the merged network for inference.
public sealed partial class ForecastModel
{
    IRecurrentNetwork[]? _members;

    /// <summary>
    /// The networks a forecast runs: the ensemble's members split out of <see cref="Network"/> (<see cref="Ensemble.Split"/>),
    /// or the network itself for a single network or one that is not block-diagonal. Each member forecasts the whole
    /// average (its head scaled back up), so a forecast averages their outputs. Built on first use, so a model that is
    /// only exported never holds the copy.
    /// </summary>
    internal IRecurrentNetwork[] Members
    {
        get
        {
            if (_members is { } members) return members;
            var split = EnsembleSize > 1 && Ensemble.IsBlockDiagonal(Network, EnsembleSize) ? Ensemble.Split(Network, EnsembleSize) : null;
            Interlocked.CompareExchange(ref _members, split ?? [Network], null);
            return _members;
        }
    }
}

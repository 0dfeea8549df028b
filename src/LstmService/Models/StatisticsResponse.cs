using LstmService.Registry;

namespace LstmService.Models;

/// <summary>The classical forecasters a model mixes with its network, fitted on the model's scale (see the architecture's transform).</summary>
/// <param name="Smoothing">The exponential smoothing chosen by AICc.</param>
/// <param name="ThetaSeason">Season the theta method deseasonalises with (1 = none).</param>
/// <param name="AutoregressionLags">Lags of the autoregression on the differenced series.</param>
/// <param name="Weights">Mixing weights, summing to 1: network, exponentialSmoothing, theta, autoregression.</param>
public sealed record StatisticsResponse(SmoothingResponse Smoothing, int ThetaSeason, IReadOnlyList<int> AutoregressionLags, IReadOnlyDictionary<string, float> Weights)
{
    public static StatisticsResponse? From(StatisticsInfo? statistics) => statistics is null ? null : new(
        SmoothingResponse.From(statistics.Smoothing), statistics.ThetaSeason, statistics.AutoregressionLags, statistics.Weights);
}

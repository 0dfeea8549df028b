using LstmService.Forecasting.Evaluation;

namespace LstmService.Registry;

/// <summary>Backtest metrics over the validation part.</summary>
/// <param name="Model">The trained model's accuracy.</param>
/// <param name="Naive">The naive (last value) forecast's accuracy.</param>
/// <param name="SeasonalNaive">The seasonal naive forecast's accuracy.</param>
/// <param name="SeasonLength">Season length used by the seasonal naive forecast and MASE.</param>
/// <param name="IntervalCoverage">Share of validation points inside each interval, e.g. "0.1-0.9".</param>
/// <param name="Note">Why nothing was scored, when nothing was; null otherwise (and for versions stored before it existed).</param>
public sealed record BacktestSummary(AccuracyInfo Model, AccuracyInfo Naive, AccuracyInfo SeasonalNaive, int SeasonLength, IReadOnlyDictionary<string, double?> IntervalCoverage,
    string? Note = null)
{
    public static BacktestSummary Of(BacktestMetrics m) => new(
        AccuracyInfo.Of(m.Model), AccuracyInfo.Of(m.Naive), AccuracyInfo.Of(m.SeasonalNaive), m.SeasonLength,
        m.IntervalCoverage.ToDictionary(kv => kv.Key, kv => Finite.OrNull(kv.Value)), m.Note);
}

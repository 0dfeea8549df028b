using System.Text.Json.Serialization;

using LstmService.Registry;

namespace LstmService.Models;

/// <summary>Backtest metrics over the validation part.</summary>
/// <param name="Model">The trained model's accuracy.</param>
/// <param name="Naive">The naive (last value) forecast's accuracy.</param>
/// <param name="SeasonalNaive">The seasonal naive forecast's accuracy.</param>
/// <param name="SeasonLength">Season length used by the seasonal naive forecast and MASE.</param>
/// <param name="IntervalCoverage">Share of validation points inside each interval, e.g. "0.1-0.9".</param>
/// <param name="Note">Why the backtest scored nothing (every figure null), e.g. a series too short for its horizon; absent when it scored.</param>
public sealed record BacktestResponse(AccuracyResponse Model, AccuracyResponse Naive, AccuracyResponse SeasonalNaive, int SeasonLength, IReadOnlyDictionary<string, double?> IntervalCoverage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note = null)
{
    public static BacktestResponse? From(BacktestSummary? b) => b is null ? null : new(
        AccuracyResponse.From(b.Model), AccuracyResponse.From(b.Naive), AccuracyResponse.From(b.SeasonalNaive), b.SeasonLength, b.IntervalCoverage, b.Note);
}

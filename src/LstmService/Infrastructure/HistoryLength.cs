using LstmService.Forecasting.Models;

namespace LstmService.Infrastructure;

/// <summary>Why a history is too short for a version to forecast from (<see cref="ForecastModel.MinimumHistory"/>), or null.</summary>
public static class HistoryLength
{
    public static string? TooShort(ForecastModel model, int count) =>
        count < model.InputWindow ? $"Too short: {count} values, but this version's inputWindow is {model.InputWindow}."
        : count < model.MinimumHistory ? $"Too short: {count} values, but this version {model.SeasonalMinimumReason}."
        : null;
}

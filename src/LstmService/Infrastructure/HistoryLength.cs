using LstmService.Forecasting.Models;

namespace LstmService.Infrastructure;

/// <summary>Why a history is too short for a version to forecast from (<see cref="ForecastModel.MinimumHistory"/>), or null.</summary>
public static class HistoryLength
{
    /// <summary>
    /// Why <paramref name="count"/> values, the first <paramref name="leadingMissing"/> of them missing, are too short, or null.
    /// A version whose season theta alone repeats needs two periods of values from the first observed one on: a QA pass saw 23
    /// values behind one <c>null</c> pass the minimum and be forecast flat, at three times a seasonal naive forecast's error.
    /// </summary>
    public static string? TooShort(ForecastModel model, int count, int leadingMissing = 0)
    {
        if (count < model.InputWindow) return $"Too short: {count} values, but this version's inputWindow is {model.InputWindow}.";
        // The input window counts missing values (at most half of it may be); the seasonal minimum counts from the first observed.
        if (model.MinimumHistory <= model.InputWindow || count - leadingMissing >= model.MinimumHistory) return null;
        return leadingMissing > 0
            ? $"Too short: {count - leadingMissing} values from the first observed one ({leadingMissing} missing before it), but this version {model.SeasonalMinimumReason}."
            : $"Too short: {count} values, but this version {model.SeasonalMinimumReason}.";
    }

    /// <summary>Missing values (NaN, as the JSON converter reads null) before the first observed one.</summary>
    public static int LeadingMissing(ReadOnlySpan<float> history)
    {
        int k = 0;
        while (k < history.Length && float.IsNaN(history[k])) k++;
        return k;
    }

    /// <summary>Missing values (null or NaN) before the first observed one.</summary>
    public static int LeadingMissing(IReadOnlyList<double?> history)
    {
        int k = 0;
        while (k < history.Count && (history[k] is null || double.IsNaN(history[k]!.Value))) k++;
        return k;
    }
}

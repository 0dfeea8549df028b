using LstmService.Forecasting.Models;

namespace LstmService.Infrastructure;

/// <summary>Why a history is too short for a version to forecast from (<see cref="ForecastModel.MinimumHistory"/>), or null.</summary>
public static class HistoryLength
{
    /// <summary>
    /// Why <paramref name="count"/> values, the first <paramref name="leadingMissing"/> and the last <paramref name="trailingMissing"/>
    /// of them missing, are too short, or null. A version whose season theta alone repeats needs two periods of values from
    /// the first observed one to the last: a QA pass saw 23 values behind one <c>null</c> pass the minimum and be forecast
    /// flat, at three times a seasonal naive forecast's error; a trailing gap, forecast through, adds no observed value either.
    /// </summary>
    public static string? TooShort(ForecastModel model, int count, int leadingMissing = 0, int trailingMissing = 0)
    {
        if (count < model.InputWindow) return $"Too short: {count} values, but this version's inputWindow is {model.InputWindow}.";
        // The input window counts missing values (at most half of it may be); the seasonal minimum counts the observed span.
        if (leadingMissing >= count) trailingMissing = 0;
        int span = count - leadingMissing - trailingMissing;
        if (model.MinimumHistory <= model.InputWindow || span >= model.MinimumHistory) return null;
        var missing = (leadingMissing, trailingMissing) switch
        {
            (0, 0) => null,
            (_, 0) => $" from the first observed one ({leadingMissing} missing before it)",
            (0, _) => $" up to the last observed one ({trailingMissing} missing after it)",
            _ => $" from the first observed one to the last ({leadingMissing} missing before, {trailingMissing} after)",
        };
        return $"Too short: {span} values{missing}, but this version {model.SeasonalMinimumReason}.";
    }

    /// <summary>
    /// Missing values (NaN, as the JSON converter reads null) before the first observed one; with <see cref="TrailingMissing(ReadOnlySpan{float})"/>
    /// never more than the history holds (where every value is missing, they all lead and none trail).
    /// </summary>
    public static int LeadingMissing(ReadOnlySpan<float> history)
    {
        int k = 0;
        while (k < history.Length && float.IsNaN(history[k])) k++;
        return k;
    }

    /// <summary>Missing values (NaN) after the last observed one (none where every value is missing: those lead).</summary>
    public static int TrailingMissing(ReadOnlySpan<float> history)
    {
        int k = 0;
        while (k < history.Length && float.IsNaN(history[^(k + 1)])) k++;
        return k == history.Length ? 0 : k;
    }

    /// <summary>Missing values (null or NaN) after the last observed one (none where every value is missing: those lead).</summary>
    public static int TrailingMissing(IReadOnlyList<double?> history)
    {
        int k = 0;
        while (k < history.Count && (history[^(k + 1)] is null || double.IsNaN(history[^(k + 1)]!.Value))) k++;
        return k == history.Count ? 0 : k;
    }

    /// <summary>Missing values (null or NaN) before the first observed one.</summary>
    public static int LeadingMissing(IReadOnlyList<double?> history)
    {
        int k = 0;
        while (k < history.Count && (history[k] is null || double.IsNaN(history[k]!.Value))) k++;
        return k;
    }
}

using System.Text.Json.Serialization;

namespace LstmService.Forecasts;

/// <summary>A change of level the forecast read in a history: the values before it are read at the new level.</summary>
/// <param name="Index">The first value at the new level, counted from 0 in the history as forecast (timestamps laid on their grid, missing values included).</param>
/// <param name="Timestamp">That value's time (ISO 8601), when the history's timing is known. Left out otherwise.</param>
/// <param name="Shift">The new level less the old, in the series' units, for a version that works on the series as given. Left out where `ratio` is given.</param>
/// <param name="Ratio">The new level over the old, for a version that works on the log scale (its `architecture.transform` is `log`). Left out where `shift` is given.</param>
public sealed record LevelChangeResponse(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Shift,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Ratio)
{
    /// <summary>The answer for <paramref name="change"/>, dated <paramref name="timestamp"/> (null: undated); its shift or ratio as the version's scale has it.</summary>
    public static LevelChangeResponse From(Forecasting.Models.LevelChange change, string? timestamp) =>
        new(change.Index, timestamp, change.Relative ? null : change.Shift, change.Relative ? change.Shift : null);
}

using LstmService.Infrastructure;

namespace LstmService.Streams;

/// <summary>
/// A stream's dates: its step, the time of one of its values (the last one when it opened) and the day of the month a
/// calendar step lands on. Appended values are the next steps, so a value's time follows from its index.
/// </summary>
/// <param name="Frequency">The step, as an ISO 8601 duration (P1M, PT1H).</param>
/// <param name="Index">The index (from 0) of the value whose time is <paramref name="Time"/>.</param>
/// <param name="Time">That value's time.</param>
/// <param name="MonthDay">The day of the month a calendar step lands on, a shorter month's last day standing for a later day
/// (31: month ends; 0: the day of <c>time</c>), as the series' own times showed it.</param>
public sealed record StreamTiming(string Frequency, int Index, DateTimeOffset Time, int MonthDay)
{
    /// <summary>The times of the <paramref name="steps"/> values after the first <paramref name="length"/>, or null past the calendar's end.</summary>
    public string[]? StepTimes(int length, int steps)
    {
        if (TimeFrequency.Parse(Frequency) is not { } step) return null;
        var times = new string[steps];
        for (var k = 0; k < steps; k++)
        {
            if (step.TryAdvance(Time, (long)length - Index + k, MonthDay) is not { } t) return null;
            times[k] = Timestamps.Format(t);
        }
        return times;
    }

    /// <summary>The time of value <paramref name="index"/> (from 0), or null when it cannot be told.</summary>
    public string? TimeOf(int index) =>
        TimeFrequency.Parse(Frequency) is { } step && step.TryAdvance(Time, (long)index - Index, MonthDay) is { } t ? Timestamps.Format(t) : null;

    /// <summary>Why an imported timing cannot date a state of <paramref name="length"/> values, or null.</summary>
    public string? Problem(int length) =>
        TimeFrequency.Parse(Frequency) is not { } step ? $"frequency must be one of {TimeFrequency.Accepted}"
        : Index < 0 || Index >= Math.Max(1, length) ? $"index must be a value's, 0 to {Math.Max(0, length - 1)}"
        : MonthDay is < 0 or > TimeFrequency.LastDay ? $"monthDay must be 0 to {TimeFrequency.LastDay}"
        // A calendar step lands on monthDay (a shorter month's last day): a time elsewhere would date the next steps on
        // another day than the values before them.
        : step.IsCalendar && MonthDay > 0 && Time.Day != Math.Min(MonthDay, DateTime.DaysInMonth(Time.Year, Time.Month))
            ? $"time ({Timestamps.Format(Time)}) must fall on monthDay {MonthDay}, or on its month's last day when the month is shorter"
        : step.StartProblem(Time) is { } weekend ? $"time: {weekend}"
        : null;
}

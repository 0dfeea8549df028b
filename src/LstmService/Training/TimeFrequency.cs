namespace LstmService.Training;

/// <summary>The step between consecutive rows of a time column: <see cref="Count"/> times <see cref="Unit"/> ("15 minutes", "1 quarter").</summary>
public readonly record struct TimeFrequency(TimeUnit Unit, int Count)
{
    /// <summary>Months, quarters and years step on the calendar (months differ in length); the rest are fixed durations.</summary>
    public bool IsCalendar => Unit is TimeUnit.Month or TimeUnit.Quarter or TimeUnit.Year;

    public int Months => Unit switch { TimeUnit.Month => Count, TimeUnit.Quarter => 3 * Count, TimeUnit.Year => 12 * Count, _ => 0 };

    public TimeSpan Duration => Unit switch
    {
        TimeUnit.Minute => TimeSpan.FromMinutes(Count),
        TimeUnit.Hour => TimeSpan.FromHours(Count),
        TimeUnit.Day => TimeSpan.FromDays(Count),
        TimeUnit.Week => TimeSpan.FromDays(7 * Count),
        _ => TimeSpan.Zero,
    };

    /// <summary>The time <paramref name="steps"/> steps after <paramref name="start"/> (a month step keeps a month-end a month-end).</summary>
    public DateTimeOffset Advance(DateTimeOffset start, int steps)
    {
        if (!IsCalendar) return start + Duration * steps;
        var next = start.AddMonths(Months * steps);
        return start.Day == DateTime.DaysInMonth(start.Year, start.Month) ? next.AddDays(DateTime.DaysInMonth(next.Year, next.Month) - next.Day) : next;
    }

    public override string ToString() => $"{Count} {Unit.ToString().ToLowerInvariant()}{(Count == 1 ? "" : "s")}";
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace LstmService.Infrastructure;

/// <summary>The step between consecutive rows of a time column: <see cref="Count"/> times <see cref="Unit"/> ("15 minutes", "1 quarter").</summary>
public readonly partial record struct TimeFrequency(TimeUnit Unit, int Count)
{
    /// <summary>The longest season a frequency suggests (the service's largest seasonLength): a minute's week (10080) is no usable season.</summary>
    public const int MaxSuggestedSeason = 1000;

    /// <summary>What a request's <c>frequency</c> may say, for messages and the OpenAPI description.</summary>
    public const string Accepted = "yearly, quarterly, monthly, weekly, daily, business (Monday to Friday; B), hourly, half-hourly, a count (1 to 100000) of minutes or hours such as 30min or 2h, " +
        "an ISO 8601 duration of one unit and such a count (P1Y, P3M, P1M, P1W, P1D, PT1H, PT15M), or pandas' alias of one unit (Y, YS, A, Q, QS, M, MS, ME, W, D, B, H)";

    /// <summary>Months, quarters and years step on the calendar (months differ in length); the rest are fixed durations.</summary>
    public bool IsCalendar => Unit is TimeUnit.Month or TimeUnit.Quarter or TimeUnit.Year;

    public int Months => Unit switch { TimeUnit.Month => Count, TimeUnit.Quarter => 3 * Count, TimeUnit.Year => 12 * Count, _ => 0 };

    public TimeSpan Duration => Unit switch
    {
        TimeUnit.Minute => TimeSpan.FromMinutes(Count),
        TimeUnit.Hour => TimeSpan.FromHours(Count),
        TimeUnit.Day or TimeUnit.BusinessDay => TimeSpan.FromDays(Count),
        TimeUnit.Week => TimeSpan.FromDays(7 * Count),
        _ => TimeSpan.Zero,
    };

    /// <summary>
    /// The time <paramref name="steps"/> steps after <paramref name="start"/>: months, quarters and years on the calendar,
    /// keeping a month's last day a month's last day when <paramref name="start"/> is one; days and weeks keep the clock
    /// time and the offset (local midnight stays midnight); hours and minutes are elapsed time.
    /// </summary>
    public DateTimeOffset Advance(DateTimeOffset start, int steps) => Advance(start, steps, MonthDayFrom(start));

    /// <summary>
    /// As <see cref="Advance(DateTimeOffset, int)"/>, a calendar step landing on day <paramref name="monthDay"/> of its month,
    /// or the month's last day when it is shorter (a series on the 30th is on February's 28th; <see cref="LastDay"/> steps on
    /// month ends); 0 keeps <paramref name="start"/>'s day. See <see cref="MonthDay(IReadOnlyCollection{DateTimeOffset})"/>.
    /// </summary>
    public DateTimeOffset Advance(DateTimeOffset start, int steps, int monthDay)
    {
        if (Unit == TimeUnit.BusinessDay) return start.AddDays(DayOf(BusinessIndex(start.DateTime) + (long)Count * steps) - Days(start.DateTime));
        if (!IsCalendar) return start + Duration * steps;
        var next = start.AddMonths(Months * steps);
        var day = Math.Min(Math.Max(monthDay, start.Day), DateTime.DaysInMonth(next.Year, next.Month));
        return next.AddDays(day - next.Day);
    }

    /// <summary>As <see cref="Advance(DateTimeOffset, int, int)"/>, or null when the time would fall past the calendar's range (after the year 9999).</summary>
    public DateTimeOffset? TryAdvance(DateTimeOffset start, long steps, int monthDay)
    {
        try { return steps is < int.MinValue or > int.MaxValue ? null : Advance(start, (int)steps, monthDay); }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException) { return null; }
    }

    /// <summary>As <see cref="Advance(DateTimeOffset, int)"/>, or null when the time would fall past the calendar's range.</summary>
    public DateTimeOffset? TryAdvance(DateTimeOffset start, long steps) => TryAdvance(start, steps, MonthDayFrom(start));

    /// <summary>The month day that stands for a month's last day, whatever its length.</summary>
    public const int LastDay = 31;

    /// <summary>The month day of a series known by its first time alone: month ends from a month's last day, else that day.</summary>
    public static int MonthDayFrom(DateTimeOffset start) => IsMonthEnd(start) ? LastDay : start.Day;

    /// <summary>Whether <paramref name="t"/> is its month's last day.</summary>
    public static bool IsMonthEnd(DateTimeOffset t) => t.Day == DateTime.DaysInMonth(t.Year, t.Month);

    /// <summary>
    /// The day of the month every one of <paramref name="times"/> falls on, a shorter month's last day standing for a later
    /// day: <see cref="LastDay"/> when each is its month's last day; the 30th for 30 January, 28 February, 30 March; the 28th
    /// for a series on the 28th, also from February to February. When they share none, the day more than half of them fall
    /// on, so that a stray date (30 April among firsts of the month) is the one told off the monthly grid rather than turning
    /// the grid into one of 31 days that every other row missed; else 0.
    /// </summary>
    public static int MonthDay(IReadOnlyCollection<DateTimeOffset> times)
    {
        if (times.Count == 0) return 0;
        if (times.All(IsMonthEnd)) return LastDay;
        var day = times.Max(t => t.Day);
        if (times.All(t => OnMonthDay(t, day))) return day;
        // The times on each day in one pass (every upload's times come here, hourly ones too): a month's last day is on it
        // and on every later day, any other time on its own day alone (see OnMonthDay).
        var on = new int[LastDay + 1];
        foreach (var t in times)
            for (int d = t.Day, last = IsMonthEnd(t) ? LastDay : t.Day; d <= last; d++) on[d]++;
        var most = times.Select(t => t.Day).Append(LastDay).Distinct().MaxBy(d => on[d]);
        return 2 * on[most] > times.Count ? most : 0;
    }

    /// <summary>Whether <paramref name="t"/> falls on month day <paramref name="day"/>, or on its month's last day when the month is shorter.</summary>
    public static bool OnMonthDay(DateTimeOffset t, int day) => t.Day == Math.Min(day, DateTime.DaysInMonth(t.Year, t.Month));

    /// <summary>
    /// The times on the calendar grid most of them keep: on their <see cref="MonthDay(IReadOnlyCollection{DateTimeOffset})"/>
    /// at the clock time most of them share; empty when no day is shared by more than half.
    /// </summary>
    static List<DateTimeOffset> OnCalendar(IReadOnlyList<DateTimeOffset> sorted)
    {
        var day = MonthDay(sorted);
        if (day == 0) return [];
        var clock = Modal(sorted.Select(t => t.TimeOfDay.Ticks));
        return [.. sorted.Where(t => t.TimeOfDay.Ticks == clock && OnMonthDay(t, day))];
    }

    /// <summary>
    /// The month day of a series known by its first and last times alone (a version's stored timing): month ends when both
    /// are a month's last day (one end alone does not tell: a series on the 28th may start or end in February), else the later
    /// of their days (a series on the 30th that starts in February).
    /// </summary>
    public static int MonthDay(DateTimeOffset first, DateTimeOffset last) =>
        IsMonthEnd(first) && IsMonthEnd(last) ? LastDay : Math.Max(first.Day, last.Day);

    /// <summary>
    /// Whole steps from <paramref name="start"/> to <paramref name="time"/> (negative before it), or null when it lies
    /// between two. Days and weeks count on the local clock, so daily times at local midnight whose offset changes with
    /// daylight saving (+01:00, then +02:00) are whole days apart, or else in elapsed time; hours and minutes count elapsed
    /// time. Two readings can put two times on one step: the grids refuse the second as a repeat. A monthly time is on the
    /// grid on <paramref name="monthDay"/> (see <see cref="Advance(DateTimeOffset, int, int)"/>) or, when that is 0, on the
    /// same day of the month as <paramref name="start"/> or, from a month's last day, on month ends.
    /// </summary>
    public long? StepsFrom(DateTimeOffset start, DateTimeOffset time, int monthDay = 0)
    {
        if (Unit == TimeUnit.BusinessDay)
        {
            // On the local clock, as days are, else in UTC (UTC midnights shown in a zone with daylight saving, 01:00+01:00
            // then 02:00+02:00, as days take them too); a weekend is between two steps.
            // (Only where the local clock differs: a local Saturday midnight in +01:00 is a Friday in UTC.)
            return time.DateTime.TimeOfDay == start.DateTime.TimeOfDay ? BusinessSteps(start.DateTime, time.DateTime, Count)
                : BusinessSteps(start.UtcDateTime, time.UtcDateTime, Count);
        }
        if (IsCalendar)
        {
            var months = MonthIndex(time) - MonthIndex(start);
            if (months % Months != 0) return null;
            var steps = months / Months;
            var on = monthDay > 0
                ? Advance(start, steps, monthDay).DateTime == time.DateTime
                : Advance(start, steps, 0).DateTime == time.DateTime || Advance(start, steps, MonthDayFrom(start)).DateTime == time.DateTime;
            return on ? steps : null;
        }
        var ticks = Ticks(time) - Ticks(start);
        if (ticks % Duration.Ticks == 0) return ticks / Duration.Ticks;
        // Days and weeks of elapsed time too: UTC midnights shown in a zone with daylight saving (pandas' tz_convert) keep
        // their instants a day apart while their local clock moves by an hour.
        ticks = time.UtcTicks - start.UtcTicks;
        return Unit is TimeUnit.Day or TimeUnit.Week && ticks % Duration.Ticks == 0 ? ticks / Duration.Ticks : null;
    }

    /// <summary>A time's position for a fixed step: its local clock for days and weeks, the instant for hours and minutes.</summary>
    private long Ticks(DateTimeOffset t) => Unit is TimeUnit.Day or TimeUnit.Week or TimeUnit.BusinessDay ? t.DateTime.Ticks : t.UtcTicks;

    /// <summary>Whole steps of <paramref name="count"/> business days from <paramref name="from"/> to <paramref name="to"/> at the same time of day, or null.</summary>
    private static long? BusinessSteps(DateTime from, DateTime to, int count)
    {
        long days = BusinessIndex(to) - BusinessIndex(from);
        return to.TimeOfDay != from.TimeOfDay || IsWeekend(to) || days % count != 0 ? null : days / count;
    }

    /// <summary>Days from Monday 1 January 2001 to <paramref name="t"/>'s date.</summary>
    private static long Days(DateTime t) => (t.Date - new DateTime(2001, 1, 1)).Days;

    private static bool IsWeekend(DateTime t) => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// Why <paramref name="start"/> cannot be a first time of this frequency, or null: a weekend is no business day (read as the
    /// Monday after it, a Saturday start had dated every value two days late).
    /// </summary>
    public string? StartProblem(DateTimeOffset start) =>
        Unit == TimeUnit.BusinessDay && IsWeekend(start.DateTime) ? $"{Timestamps.Format(start)} is a {start.DayOfWeek}: business days run Monday to Friday." : null;

    /// <summary>
    /// Weekdays from Monday 1 January 2001 to <paramref name="t"/>'s local date (a weekend counts as the Monday after it): five
    /// per week, so business days are counted and advanced by arithmetic, not day by day over a long history.
    /// </summary>
    private static long BusinessIndex(DateTime t)
    {
        long days = Days(t), week = Math.DivRem(days, 7, out long day);
        if (day < 0) (week, day) = (week - 1, day + 7);
        return 5 * week + Math.Min(day, 5);
    }

    /// <summary>The day (from Monday 1 January 2001) of weekday <paramref name="index"/> (<see cref="BusinessIndex"/>).</summary>
    private static long DayOf(long index)
    {
        long week = Math.DivRem(index, 5, out long day);
        if (day < 0) (week, day) = (week - 1, day + 5);
        return 7 * week + day;
    }

    /// <summary>
    /// The season lengths in steps this frequency suggests, ascending: the calendar's periods that are a whole number of
    /// steps above one (a day and a week of hours: 24, 168; a year of months: 12, of quarters: 4, of weeks: 52; a week of
    /// days: 7), at most <see cref="MaxSuggestedSeason"/>. Yearly data suggests none.
    /// </summary>
    public int[] SuggestedSeasons()
    {
        var periods = new List<long>();
        if (IsCalendar) periods.Add(12 % Months == 0 ? 12 / Months : 0);
        else if (Unit == TimeUnit.BusinessDay) periods.Add(5 % Count == 0 ? 5 / Count : 0);
        else if (Unit == TimeUnit.Week) periods.Add(52 % Count == 0 ? 52 / Count : 0);
        else
        {
            long step = Duration.Ticks;
            if (TimeSpan.TicksPerDay % step == 0) periods.Add(TimeSpan.TicksPerDay / step);
            if (7 * TimeSpan.TicksPerDay % step == 0) periods.Add(7 * TimeSpan.TicksPerDay / step);
        }
        return [.. periods.Where(p => p is >= 2 and <= MaxSuggestedSeason).Select(p => (int)p).Distinct().Order()];
    }

    /// <summary>
    /// The step: on the calendar (months, quarters, years) when the times fall on one day of their month, all but a stray few (a shorter
    /// month's last day standing for it, see <see cref="MonthDay(IReadOnlyCollection{DateTimeOffset})"/>) at the same clock time, else as whole weeks, days, hours or minutes; null when times are less than
    /// a minute apart. The step is the most common distance between neighbours (the shortest of those as common), not the
    /// shortest: one stray time (03:30 among hourly rows) would otherwise halve the grid and leave every other slot empty,
    /// where it should be the one time off the grid. Gaps do not move it: a missing time makes one longer distance.
    /// <paramref name="sorted"/> holds at least two distinct times in order.
    /// </summary>
    public static TimeFrequency? Infer(IReadOnlyList<DateTimeOffset> sorted)
    {
        // On the calendar when every time is, or all but a few (one in ten) of three or more: a stray date among them is then
        // the one off the grid. Two firsts of the month among three dates are no monthly series.
        var calendar = OnCalendar(sorted);
        var off = sorted.Count - calendar.Count;
        if (calendar.Count >= 2 && (off == 0 || calendar.Count >= 3 && off <= Math.Max(1, sorted.Count / 10)))
        {
            var months = (int)Modal(Enumerable.Range(1, calendar.Count - 1).Select(k => (long)(MonthIndex(calendar[k]) - MonthIndex(calendar[k - 1]))));
            if (months > 0)
                return months % 12 == 0 ? new(TimeUnit.Year, months / 12) : months % 3 == 0 ? new(TimeUnit.Quarter, months / 3) : new(TimeUnit.Month, months);
        }
        // Days and weeks on the local clock first: daylight saving makes one day in a year 23 hours long and one 25.
        var clock = Modal(Enumerable.Range(1, sorted.Count - 1).Select(k => sorted[k].DateTime.Ticks - sorted[k - 1].DateTime.Ticks));
        // Weekdays only, a weekend between some Friday and Monday and never a weekend day: business days (a stock's closes, an
        // office's tickets), whose weekends had been read as missing days and forecast (a QA pass).
        if (clock == TimeSpan.TicksPerDay && IsBusinessDaily(sorted)) return new(TimeUnit.BusinessDay, 1);
        if (clock > 0 && clock % TimeSpan.TicksPerDay == 0)
            return clock % TimeSpan.FromDays(7).Ticks == 0 ? new(TimeUnit.Week, (int)(clock / TimeSpan.FromDays(7).Ticks)) : new(TimeUnit.Day, (int)(clock / TimeSpan.TicksPerDay));
        var span = TimeSpan.FromTicks(Modal(Enumerable.Range(1, sorted.Count - 1).Select(k => sorted[k].UtcTicks - sorted[k - 1].UtcTicks)));
        if (span.Ticks % TimeSpan.FromDays(7).Ticks == 0) return new(TimeUnit.Week, (int)(span.Ticks / TimeSpan.FromDays(7).Ticks));
        if (span.Ticks % TimeSpan.TicksPerDay == 0) return new(TimeUnit.Day, (int)span.TotalDays);
        if (span.Ticks % TimeSpan.TicksPerHour == 0) return new(TimeUnit.Hour, (int)span.TotalHours);
        if (span.Ticks % TimeSpan.TicksPerMinute == 0) return new(TimeUnit.Minute, (int)span.TotalMinutes);
        return null;
    }

    /// <summary>One day, the step business days are read at beside daily series (<see cref="DailyBesideBusiness"/>).</summary>
    public static readonly TimeFrequency Daily = new(TimeUnit.Day, 1);

    /// <summary>
    /// Daily, where some series' times step by business days and others' by days: business days are days without the
    /// weekends, so beside a daily series they are read as daily with the weekends missing, as they were before business days
    /// were told (a review: such a request, and such a long CSV, had been refused as two frequencies). Null otherwise.
    /// </summary>
    public static TimeFrequency? DailyBesideBusiness(IEnumerable<TimeFrequency?> steps)
    {
        bool business = false, daily = false;
        foreach (var step in steps)
        {
            business |= step is { Unit: TimeUnit.BusinessDay };
            daily |= step == Daily;
        }
        return business && daily ? Daily : null;
    }

    /// <summary>
    /// Whether <paramref name="sorted"/> holds no weekend day and steps from a Friday to the Monday after it at least twice, on
    /// the local calendar or in UTC (UTC midnights shown west of Greenwich fall on the evening before).
    /// </summary>
    private static bool IsBusinessDaily(IReadOnlyList<DateTimeOffset> sorted)
    {
        bool Weekdays(Func<DateTimeOffset, DateTime> date)
        {
            int weekends = 0;
            for (int k = 0; k < sorted.Count; k++)
            {
                if (IsWeekend(date(sorted[k]))) return false;
                if (k > 0 && date(sorted[k - 1]).DayOfWeek == DayOfWeek.Friday && Days(date(sorted[k])) - Days(date(sorted[k - 1])) == 3) weekends++;
            }
            return weekends >= 2;
        }
        return Weekdays(t => t.DateTime) || Weekdays(t => t.UtcDateTime);
    }

    /// <summary>
    /// A request's frequency (see <see cref="Accepted"/>), case-insensitive; null when it is none of them. Months are
    /// normalised as an inferred step is (P3M is a quarter, P12M a year), so a given and an inferred frequency compare equal.
    /// </summary>
    public static TimeFrequency? Parse(string? text)
    {
        var t = text?.Trim().ToLowerInvariant();
        TimeFrequency? named = t switch
        {
            // pandas' aliases too (its start- and end-anchored forms alike: the times themselves say which day a step is on).
            "yearly" or "annual" or "annually" or "y" or "ys" or "ye" or "a" or "as" => new(TimeUnit.Year, 1),
            "quarterly" or "q" or "qs" or "qe" => new(TimeUnit.Quarter, 1),
            "monthly" or "m" or "ms" or "me" => new(TimeUnit.Month, 1),
            "weekly" or "w" => new(TimeUnit.Week, 1),
            "daily" or "d" => new(TimeUnit.Day, 1),
            "business" or "business-daily" or "businessdaily" or "weekdays" or "b" => new(TimeUnit.BusinessDay, 1),
            "hourly" or "h" => new(TimeUnit.Hour, 1),
            "half-hourly" or "halfhourly" => new(TimeUnit.Minute, 30),
            _ => null,
        };
        if (named is not null || t is null) return named;
        int count;
        if (Short().Match(t) is { Success: true } s && int.TryParse(s.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is > 0 and <= 100_000)
            return s.Groups[2].Value == "min" ? new(TimeUnit.Minute, count) : new(TimeUnit.Hour, count);
        if (Iso().Match(t) is not { Success: true } iso || !int.TryParse(iso.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is <= 0 or > 100_000)
            return null;
        return (iso.Groups["t"].Success, iso.Groups["u"].Value) switch
        {
            (false, "y") => new(TimeUnit.Year, count),
            (false, "m") => count % 12 == 0 ? new(TimeUnit.Year, count / 12) : count % 3 == 0 ? new(TimeUnit.Quarter, count / 3) : new(TimeUnit.Month, count),
            (false, "w") => new(TimeUnit.Week, count),
            (false, "d") => count % 7 == 0 ? new(TimeUnit.Week, count / 7) : new(TimeUnit.Day, count),
            (true, "h") => new(TimeUnit.Hour, count),
            (true, "m") => count % 60 == 0 ? new(TimeUnit.Hour, count / 60) : new(TimeUnit.Minute, count),
            _ => null,
        };
    }

    /// <summary>
    /// The frequency as an ISO 8601 duration (P1M, PT30M; a quarter is P3M), as the API answers it; business days, which ISO
    /// 8601 has no unit for, as pandas' alias B.
    /// </summary>
    public string ToIso() => Unit switch
    {
        TimeUnit.BusinessDay => Count == 1 ? "B" : $"{Count}B",
        TimeUnit.Year => $"P{Count}Y",
        TimeUnit.Quarter => $"P{3 * Count}M",
        TimeUnit.Month => $"P{Count}M",
        TimeUnit.Week => $"P{Count}W",
        TimeUnit.Day => $"P{Count}D",
        TimeUnit.Hour => $"PT{Count}H",
        _ => $"PT{Count}M",
    };

    public override string ToString() => $"{Count} {(Unit == TimeUnit.BusinessDay ? "business day" : Unit.ToString().ToLowerInvariant())}{(Count == 1 ? "" : "s")}";

    /// <summary>Months since the calendar's start: 12 per year, whatever the day.</summary>
    internal static int MonthIndex(DateTimeOffset t) => t.Year * 12 + t.Month - 1;

    /// <summary>
    /// Why <see cref="Infer"/> told no step from <paramref name="sorted"/> (two or more distinct times), to follow "the times
    /// are": their most common step is under a minute, or not a whole number of minutes. Times hours apart but off any grid
    /// had been told they were less than a minute apart.
    /// </summary>
    public static string NoStepReason(IReadOnlyList<DateTimeOffset> sorted)
    {
        var span = TimeSpan.FromTicks(Modal(Enumerable.Range(1, sorted.Count - 1).Select(k => sorted[k].UtcTicks - sorted[k - 1].UtcTicks)));
        return span < TimeSpan.FromMinutes(1)
            ? "less than a minute apart; the finest frequency is minutes"
            : $"most often {span:c} apart, not a whole number of minutes: the finest frequency is minutes, and the times must be evenly spaced (gaps allowed)";
    }

    /// <summary>The most frequent value, the smallest of those as frequent.</summary>
    private static long Modal(IEnumerable<long> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    /// <summary>
    /// The grid's first time: the earliest of <paramref name="sorted"/> on the phase most of them share (their remainder
    /// modulo the step), so a stray time before the others is reported as off the grid rather than moving the grid
    /// under every other row.
    /// </summary>
    public static DateTimeOffset Anchor(IReadOnlyList<DateTimeOffset> sorted, TimeFrequency step)
    {
        // A calendar grid steps from its first time's clock and day: a stray date before the others must not be that time.
        if (step.IsCalendar && OnCalendar(sorted) is { Count: > 0 } usual) sorted = usual;
        long Phase(DateTimeOffset t) => step.IsCalendar
            ? ((MonthIndex(t) % step.Months) + step.Months) % step.Months
            : ((step.Ticks(t) % step.Duration.Ticks) + step.Duration.Ticks) % step.Duration.Ticks;
        var phase = Modal(sorted.Select(Phase));
        var anchor = sorted.First(t => Phase(t) == phase);
        // An earlier time on the anchor's grid by another clock starts it: UTC midnights shown in a zone with daylight saving
        // (01:00+01:00, then 02:00+02:00) are a whole number of days apart in UTC, and where most fell after the change the
        // first had been refused as before the grid's first time (a QA pass).
        foreach (var t in sorted)
        {
            if (t.UtcTicks >= anchor.UtcTicks) break;
            if (step.StepsFrom(anchor, t) is not null) return t;
        }
        return anchor;
    }

    [GeneratedRegex(@"^(\d{1,6}) ?(min|h)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Short();

    [GeneratedRegex(@"^p(?<t>t)?(?<n>\d{1,6})(?<u>[ymwdh])\z", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();
}

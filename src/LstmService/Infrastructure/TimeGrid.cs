namespace LstmService.Infrastructure;

/// <summary>
/// A series' timestamps laid on a regular grid: sorted, their step given or inferred, and a slot for every missing time.
/// The JSON counterpart of an uploaded CSV's timeline, with problems reported by the timestamp's index so the caller names
/// the field (<c>series[0].timestamps[3]</c>).
/// </summary>
/// <param name="Frequency">The step between slots.</param>
/// <param name="Start">The time of the first slot.</param>
/// <param name="End">The time of the last slot (the latest timestamp).</param>
/// <param name="Slots">For every slot in time order, the index of the timestamp (and so the value) that fills it, or -1 for a missing time.</param>
/// <param name="MonthDay">The day of the month a calendar grid steps on (see <see cref="TimeFrequency.MonthDay(IReadOnlyCollection{DateTimeOffset})"/>; <see cref="TimeFrequency.LastDay"/>: month ends), else 0.</param>
public sealed record TimeGrid(TimeFrequency Frequency, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<int> Slots, int MonthDay)
{

    /// <summary>
    /// Sorts <paramref name="times"/> and lays them on the grid of <paramref name="frequency"/> (inferred when null: the
    /// most common step, see <see cref="TimeFrequency.Infer"/>); null with the index of the offending timestamp when two are
    /// equal, one falls between grid points, the step cannot be told (a single timestamp, or times less than a minute
    /// apart or not a whole number of minutes), or the gaps would make more than <paramref name="maxSlots"/> slots.
    /// </summary>
    public static TimeGrid? Build(IReadOnlyList<DateTimeOffset> times, TimeFrequency? frequency, long maxSlots, out (int Index, string Message)? problem)
    {
        problem = null;
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i].UtcTicks).ThenBy(i => i).ToArray();
        for (var k = 1; k < order.Length; k++)
            if (times[order[k]].UtcTicks == times[order[k - 1]].UtcTicks)
            {
                var (first, second) = (Math.Min(order[k], order[k - 1]), Math.Max(order[k], order[k - 1]));
                problem = (second, $"{Timestamps.Format(times[second])} repeats timestamps[{first}]; each time may appear once.");
                return null;
            }
        if (frequency is null && order.Length < 2)
        {
            problem = (0, "A single timestamp does not tell the step between values: give frequency too.");
            return null;
        }
        var step = frequency ?? TimeFrequency.Infer([.. order.Select(i => times[i])]);
        if (step is not { } grid)
        {
            problem = (order[1], $"The timestamps are {TimeFrequency.NoStepReason([.. order.Select(i => times[i])])}.");
            return null;
        }
        var start = TimeFrequency.Anchor([.. order.Select(i => times[i])], grid);
        var monthDay = grid.IsCalendar ? TimeFrequency.MonthDay([.. times]) : 0;
        // The step the times themselves keep, for messages that set it against a given frequency.
        TimeFrequency? Own() => TimeFrequency.Infer([.. order.Select(k => times[k])]);
        var slots = new List<int>(times.Count);
        foreach (var i in order)
        {
            var at = grid.StepsFrom(start, times[i], monthDay);
            if (at is null)
            {
                // Evenly spaced at another step than the one given (monthly times on a version of two-month steps) is not
                // "unevenly spaced": say which step they have and which one they were read at.
                var own = frequency is not null && order.Length >= 2 ? Own() : null;
                problem = (i, grid.StartProblem(times[i]) is { } weekend ? $"{weekend} It is no step of the grid from {Timestamps.Format(start)}."
                    : own is { } o && o != grid
                    ? $"{Timestamps.Format(times[i])} is not a whole number of {grid} steps after {Timestamps.Format(start)}: the timestamps step by {o} ({o.ToIso()}), but the frequency is {grid} ({grid.ToIso()})."
                    : $"{Timestamps.Format(times[i])} is not a whole number of {grid} steps after {Timestamps.Format(start)}; the timestamps must be evenly spaced (gaps allowed).");
                return null;
            }
            if (at.Value < slots.Count)
            {
                // On the step of an earlier time (one local date at two offsets, say), or before the first.
                problem = (i, at.Value >= 0 && slots[(int)at.Value] >= 0
                    ? $"{Timestamps.Format(times[i])} falls on the {grid} step of timestamps[{slots[(int)at.Value]}]; each step may have one value."
                    : $"{Timestamps.Format(times[i])} falls before the grid's first time {Timestamps.Format(start)}.");
                return null;
            }
            if (at.Value >= maxSlots)
            {
                problem = (i, $"The gap before {Timestamps.Format(times[i])} would make {at.Value + 1} steps of {grid}, more than the {maxSlots} allowed; check the timestamps.");
                return null;
            }
            while (slots.Count < at.Value) slots.Add(-1);
            slots.Add(i);
        }
        if (frequency is not null && order.Length >= 2 && !HasNeighbours(slots))
        {
            // Every time a whole number of steps apart but no two of them one step apart: a coarser series (every other month,
            // yearly values on a monthly version), not a series with gaps. Read at the given step it had been half missing or
            // more, answered as "mostly missing" without a word about the timestamps.
            problem = (order[1], $"No two timestamps are one {grid} step apart{(Own() is { } o && o != grid ? $": the timestamps step by {o} ({o.ToIso()})" : "")}, but the frequency is {grid} ({grid.ToIso()}); every step between them would be read as a missing value.");
            return null;
        }
        return new TimeGrid(grid, start, times[order[^1]], slots, monthDay);
    }

    /// <summary>
    /// <see cref="TimeFrequency.DailyBesideBusiness"/> of the steps the series' timestamps show alone; null without two series
    /// of timestamps to compare, so a single series' are read once, by the grid.
    /// </summary>
    public static TimeFrequency? DailyBesideBusiness(IEnumerable<IReadOnlyList<string>?> timestamps)
    {
        var given = timestamps.Where(texts => texts is { Count: >= 2 }).ToList();
        if (given.Count < 2) return null;
        return TimeFrequency.DailyBesideBusiness(given.Select(texts =>
        {
            var times = new List<DateTimeOffset>(texts!.Count);
            foreach (var text in texts) if (Timestamps.TryParse(text, out var t)) times.Add(t);
            var sorted = times.OrderBy(t => t.UtcTicks).DistinctBy(t => t.UtcTicks).ToList();
            return sorted.Count >= 2 ? TimeFrequency.Infer(sorted) : null;
        }));
    }

    /// <summary>Whether two consecutive slots both hold a value.</summary>
    static bool HasNeighbours(List<int> slots)
    {
        for (var k = 1; k < slots.Count; k++)
            if (slots[k] >= 0 && slots[k - 1] >= 0) return true;
        return false;
    }
}

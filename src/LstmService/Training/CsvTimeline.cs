using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// The time axis of an uploaded CSV after reading its time column: the rows in time order on a regular grid of
/// <see cref="Frequency"/>, with a slot for every missing time (its values missing).
/// </summary>
/// <param name="Frequency">The step between rows, or null when the file has a single row.</param>
/// <param name="Timestamps">The time of every slot, in order.</param>
/// <param name="Rows">For every slot, the index of the file's data row that fills it, or -1 for a missing time.</param>
/// <param name="MonthDay">The day of the month a calendar step lands on (see <see cref="TimeFrequency.MonthDay(IReadOnlyCollection{DateTimeOffset})"/>), else 0.</param>
public sealed record CsvTimeline(TimeFrequency? Frequency, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<int> Rows, int MonthDay = 0)
{
    /// <summary>Slots the file had no row for.</summary>
    public int MissingTimes => Rows.Count(r => r < 0);

    /// <summary>
    /// Gaps may add at most this many slots per row, plus <see cref="ExtraSlots"/>: a grid bigger than that is mostly
    /// holes (a stray timestamp years away, say) and would only allocate memory for values that are not there.
    /// </summary>
    public const int MaxSlotsPerRow = 4, ExtraSlots = 10_000;

    /// <summary>
    /// Orders <paramref name="times"/> (one per data row, at file line <paramref name="lines"/>), infers the step and lays the
    /// rows on its grid; null with a message naming the line when two rows share a time, a row falls between grid points, or
    /// the gaps are too large. A long file's ids each get a timeline of the step, month day and share of the slots that all
    /// its rows set (<paramref name="frequency"/>, <paramref name="monthDay"/>, <paramref name="maxSlots"/>): left to each id,
    /// a thousand ids of three rows with a gap of 10,000 days took 2.4 GB.
    /// </summary>
    public static CsvTimeline? Build(IReadOnlyList<DateTimeOffset> times, IReadOnlyList<int> lines, out string? problem,
        TimeFrequency? frequency = null, int? monthDay = null, long? maxSlots = null)
    {
        problem = null;
        var order = Enumerable.Range(0, times.Count).OrderBy(i => times[i].UtcTicks).ThenBy(i => i).ToArray();
        for (var k = 1; k < order.Length; k++)
        {
            if (times[order[k]].UtcTicks != times[order[k - 1]].UtcTicks) continue;
            var (first, second) = (Math.Min(order[k], order[k - 1]), Math.Max(order[k], order[k - 1]));
            problem = $"Line {lines[second]}: the time {Show(times[second])} repeats line {lines[first]}; each time may appear once.";
            return null;
        }
        if (order.Length == 1) return new CsvTimeline(frequency, [times[0]], [0]);

        frequency ??= TimeFrequency.Infer(order.Select(i => times[i]).ToArray());
        if (frequency is null)
        {
            problem = $"Line {lines[order[1]]}: the times are {TimeFrequency.NoStepReason([.. order.Select(i => times[i])])}.";
            return null;
        }
        var step = frequency.Value;
        var start = TimeFrequency.Anchor([.. order.Select(i => times[i])], step);
        var slots = new List<int>();
        var stamps = new List<DateTimeOffset>();
        var limit = maxSlots ?? (long)MaxSlotsPerRow * times.Count + ExtraSlots;
        var day = step.IsCalendar ? monthDay ?? TimeFrequency.MonthDay([.. times]) : 0;
        foreach (var row in order)
        {
            var at = step.StepsFrom(start, times[row], day);
            if (at is null)
            {
                problem = step.StartProblem(times[row]) is { } weekend ? $"Line {lines[row]}: {weekend}"
                    : $"Line {lines[row]}: the time {Show(times[row])} is not on the grid of {step} steps from {Show(start)}; the times must be evenly spaced (gaps allowed).";
                return null;
            }
            if (at.Value < slots.Count)
            {
                // On the step of an earlier row (one local date at two offsets, say), or before the first.
                problem = at.Value >= 0 && slots[(int)at.Value] >= 0
                    ? $"Line {lines[row]}: the time {Show(times[row])} falls on the {step} step of line {lines[slots[(int)at.Value]]}; each step may have one row."
                    : $"Line {lines[row]}: the time {Show(times[row])} falls before the grid's first time {Show(start)}.";
                return null;
            }
            if (at.Value >= limit)
            {
                problem = $"Line {lines[row]}: the gap before {Show(times[row])} would make {at.Value + 1} steps of {step} from {times.Count} rows; check the time column.";
                return null;
            }
            while (slots.Count < at.Value)
            {
                stamps.Add(step.Advance(start, slots.Count, day));
                slots.Add(-1);
            }
            stamps.Add(times[row]);
            slots.Add(row);
        }
        return new CsvTimeline(step, stamps, slots, day);
    }

    /// <summary>A time as the messages show it: the date alone at midnight UTC, else ISO 8601 with its offset.</summary>
    private static string Show(DateTimeOffset t) =>
        t.TimeOfDay == TimeSpan.Zero && t.Offset == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
        : t.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}

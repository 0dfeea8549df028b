namespace LstmService.Training;

/// <summary>
/// A long file's time column of plain integers (Nixtla's <c>ds</c> as 1, 2, 3 per id, a week number): each id's rows laid on
/// a grid of the step most rows show, from its own first counter, with a slot for every counter it has no row for. The series
/// are undated (the counters name no calendar); the grid only places the gaps, as <see cref="CsvTimeline"/> does for times.
/// </summary>
public static class CsvCounterGrid
{
    /// <summary>Counters beyond this magnitude are not read as counters, so their differences cannot overflow.</summary>
    private const long MaxMagnitude = 1_000_000_000_000_000;

    /// <summary>The integers of a column, or null when a cell is not one (years and Unix times were read as times before this).</summary>
    public static long[]? Parse(IReadOnlyList<string> cells)
    {
        var counters = new long[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            // pandas writes an integer column holding NaN as floats: 1.0, 2.0.
            if (long.TryParse(cells[i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out counters[i])) { }
            else if (double.TryParse(cells[i], System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) <= MaxMagnitude) counters[i] = (long)d;
            else return null;
            if (Math.Abs(counters[i]) > MaxMagnitude) return null;
        }
        return counters.Length > 0 ? counters : null;
    }

    /// <summary>One id's step: the most common distance between its sorted counters (the smaller on a tie), or null with fewer than two.</summary>
    public static long? Step(long[] counters)
    {
        var sorted = counters.Order().Distinct().ToArray();
        if (sorted.Length < 2) return null;
        return sorted.Zip(sorted.Skip(1), (a, b) => b - a).GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
    }

    /// <summary>
    /// For every slot of one id's grid, the index (into <paramref name="counters"/>, one per row) of the row that fills it, or -1; null with a
    /// message naming the line when a counter repeats, falls between the steps, or opens a gap of more than
    /// <paramref name="maxSlots"/> slots in all.
    /// </summary>
    public static int[]? Build(IReadOnlyList<long> counters, IReadOnlyList<int> lines, long step, long maxSlots, string column, out string? problem)
    {
        problem = null;
        var order = Enumerable.Range(0, counters.Count).OrderBy(i => counters[i]).ThenBy(i => i).ToArray();
        long start = counters[order[0]];
        for (var k = 1; k < order.Length; k++)
        {
            long counter = counters[order[k]];
            if (counter == counters[order[k - 1]])
            {
                var (first, second) = (Math.Min(order[k], order[k - 1]), Math.Max(order[k], order[k - 1]));
                problem = $"Line {lines[second]}: {column} {counter} repeats line {lines[first]}; each {column} may appear once per id.";
                return null;
            }
            if ((counter - start) % step != 0)
            {
                problem = $"Line {lines[order[k]]}: {column} {counter} is not on the step of {step} from {start} that most rows show; the counters must be evenly spaced (gaps allowed).";
                return null;
            }
        }
        long slots = (counters[order[^1]] - start) / step + 1;
        if (slots > maxSlots)
        {
            problem = $"Line {lines[order[^1]]}: the gap before {column} {counters[order[^1]]} would make {slots} steps of {step} from {counters.Count} rows; check the {column} column.";
            return null;
        }
        var grid = new int[slots];
        Array.Fill(grid, -1);
        foreach (var i in order) grid[(counters[i] - start) / step] = i;
        return grid;
    }
}

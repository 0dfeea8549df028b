using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// A CSV in long format: a time column, one or more id columns (store, item) and value columns, one row per id and time,
/// as pandas' <c>melt</c>, R's tidy data and Nixtla's <c>unique_id,ds,y</c> write it. Each id (its id columns' cells joined
/// by '/') becomes a series per value column on its own dates, on the step most rows show (an id off that grid is refused);
/// a time column of plain integers (Nixtla's <c>ds</c> numbered 1, 2, 3) places undated values (<see cref="CsvCounterGrid"/>).
/// An id column is named like one (<c>unique_id</c>, <c>store</c>, <c>shop_id</c>) or holds text on every row (not times,
/// not a time's part such as a month's name under <c>Month</c>, not TRUE/FALSE); a file is read so when it has one and its
/// times repeat, or when every id column is named like one and holds one value (a single id's file).
/// </summary>
public static partial class CsvLongFormat
{
    internal static readonly HashSet<string> IdWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "uid", "key", "series", "item", "sku", "store", "shop", "product", "dept", "department", "category", "family",
        "region", "country", "site", "sensor", "station", "code", "name",
    };

    internal static readonly HashSet<string> IdSuffixes = new(StringComparer.OrdinalIgnoreCase) { "id", "key", "code", "sku" };

    /// <summary>
    /// True when the columns are a long-format file; <paramref name="table"/> is then the series per id and value column, or
    /// null with errors added under <paramref name="field"/> naming the line, column and id.
    /// </summary>
    public static bool TryRead(IReadOnlyList<string> names, IReadOnlyList<int> kept, IReadOnlyList<List<string>> cells, IReadOnlyList<int> rowLines,
        bool decimalComma, ValidationErrors errors, string field, int maxSeries, out CsvTable? table)
    {
        table = null;
        var text = cells.Select(c => CsvSeriesReader.MostlyText(c, decimalComma)).ToArray();
        var (time, times, counters) = FindTimes(names, cells, text);
        if (times is null && counters is null)
        {
            // A column named like a time with one bad cell beside a column named like an id: the file is long and that
            // cell is the problem (read wide, the id column was taken for the times and its first id blamed).
            if (BadTimeCell(names, cells) is { } bad && Enumerable.Range(0, names.Count).Any(c => c != bad.Column && IsIdName(names[c])))
            {
                errors.Add(field, $"Line {rowLines[bad.Index]}, column {kept[bad.Column] + 1} ('{names[bad.Column]}'): {bad.Message}");
                return true;
            }
            return false;
        }
        var named = Enumerable.Range(0, names.Count).Select(c => c != time && IsIdName(names[c])).ToArray();
        var keys = Enumerable.Range(0, names.Count).Where(c => named[c] || c != time && text[c] && IsIdText(names[c], cells[c])).ToArray();
        var values = Enumerable.Range(0, names.Count).Where(c => c != time && !keys.Contains(c)).ToArray();
        var repeated = (times?.Select(t => t.UtcTicks) ?? counters!).Distinct().Count() < rowLines.Count;
        // Without repeated times, only a single id's file (every id column named so and holding one value, Nixtla's unique_id
        // of one series) is read as long: a wide file may have a column named "code" whose values vary.
        if (keys.Length == 0 || values.Length == 0 || !repeated && !keys.All(k => named[k] && cells[k].Distinct().Take(2).Count() == 1)) return false;

        string Where(int c) => $"column {kept[c] + 1} ('{names[c]}')";
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var rowIds = new string[rowLines.Count];
        for (var r = 0; r < rowLines.Count; r++)
        {
            var id = rowIds[r] = string.Join('/', keys.Select(k => cells[k][r]));
            if (keys.FirstOrDefault(k => cells[k][r].Length == 0, -1) is var empty and >= 0)
                errors.AddElement(field, $"Line {rowLines[r]}, {Where(empty)}: empty; in a file with a row per id and time every row names its id.", field);
            else if (!SeriesIds.IsValid(id))
                errors.AddElement(field, $"Line {rowLines[r]}: the id '{CsvSeriesReader.Shorten(id)}' ({string.Join(", ", keys.Select(Where))}) names a series and must be {SeriesIds.Rule} ({SeriesIds.Why(id)}).", field);
            else if (groups.TryGetValue(id, out var rows))
            {
                // Two id columns joined by '/' can meet: store "a/b" with item "c", store "a" with item "b/c".
                if (keys.Length > 1 && keys.Any(k => cells[k][r] != cells[k][rows[0]]))
                {
                    errors.Add(field, $"Line {rowLines[r]}: its id columns ({string.Join(", ", keys.Select(Where))}) join to '{CsvSeriesReader.Shorten(id)}' " +
                        $"as line {rowLines[rows[0]]}'s other values do; use ids without '/'.");
                    return true;
                }
                rows.Add(r);
            }
            else if (groups.Count >= maxSeries)
            {
                // Each id is a series at least (more with several value columns, which the validator counts once covariates are known).
                errors.Add(field, $"Line {rowLines[r]}: more than {maxSeries} ids ({string.Join(", ", keys.Select(Where))}); " +
                    $"a job takes at most {maxSeries} series (TrainingQueue:MaxSeries), one per id and value column.");
                return true;
            }
            else groups[id] = [r];
        }
        var parsed = values.Select(c => CsvSeriesReader.ReadValues(cells[c], r => $"{Where(c)}, id '{CsvSeriesReader.Shorten(rowIds[r])}'",
            rowLines, decimalComma, errors, field)).ToArray();
        if (!errors.IsValid) return true;

        // Each id's rows are laid on a grid shared in step (and month day) and in the slots a wide file of these rows could
        // have: gaps are bounded by the rows, not by the ids. Counters place undated values; times date them.
        if (counters is not null)
        {
            var counterStep = SharedStep(groups.Values, rows => CsvCounterGrid.Step([.. rows.Select(r => counters[r])]));
            table = PerId(names, kept, time, Where(time), keys, values, groups, parsed, rowLines, errors, field, (rows, lines, slotsLeft) =>
                (CsvCounterGrid.Build([.. rows.Select(r => counters[r])], lines, counterStep ?? 1, slotsLeft, names[time], out var problem), null, problem));
            return true;
        }
        // Each id's own step, inferred once for the vote and for business days beside daily ids (read as daily).
        var steps = groups.Values.ToDictionary(rows => rows, rows => rows.Select(r => times![r]).Order().Distinct().ToArray() is { Length: >= 2 } sorted ? TimeFrequency.Infer(sorted) : null);
        var step = SharedStep(groups.Values, rows => steps[rows]);
        if (step is { Unit: TimeUnit.BusinessDay } && TimeFrequency.DailyBesideBusiness(steps.Values) is { } daily) step = daily;
        // The month day every row shares (ids on the 30th: one with 30 April and 30 June alone is not on month ends).
        int? monthDay = step is { IsCalendar: true } && TimeFrequency.MonthDay(times!) is > 0 and var day ? day : null;
        table = PerId(names, kept, time, Where(time), keys, values, groups, parsed, rowLines, errors, field, (rows, lines, slotsLeft) =>
            CsvTimeline.Build([.. rows.Select(r => times![r])], lines, out var problem, step, monthDay, slotsLeft) is { } timeline
                ? (timeline.Rows, timeline, null) : (null, null, problem));
        return true;
    }

    /// <summary>One id's rows on its grid: per slot the index into its rows (-1 for a gap) and its timeline when dated, or null and why not.</summary>
    private delegate (IReadOnlyList<int>? Slots, CsvTimeline? Timeline, string? Problem) Placement(List<int> rows, int[] lines, long slotsLeft);

    /// <summary>A series per id and value column, each id placed by <paramref name="place"/> within the slots left; null after an error naming the id.</summary>
    private static CsvTable? PerId(IReadOnlyList<string> names, IReadOnlyList<int> kept, int time, string timeColumn, int[] keys, int[] values,
        Dictionary<string, List<int>> groups, double?[][] parsed, IReadOnlyList<int> rowLines, ValidationErrors errors, string field, Placement place)
    {
        var slotsLeft = (long)CsvTimeline.MaxSlotsPerRow * rowLines.Count + CsvTimeline.ExtraSlots;
        var columns = new List<CsvValueColumn>(groups.Count * values.Length);
        foreach (var (id, rows) in groups)
        {
            var lines = rows.Select(r => rowLines[r]).ToArray();
            var (slots, timeline, problem) = place(rows, lines, slotsLeft);
            if (slots is null)
            {
                errors.Add(field, $"{problem} (id '{id}', {timeColumn})");
                return null;
            }
            slotsLeft -= slots.Count;
            IReadOnlyList<int> slotLines = [.. slots.Select(i => i < 0 ? 0 : lines[i])];
            for (var v = 0; v < values.Length; v++)
                columns.Add(new CsvValueColumn(names[values[v]], kept[values[v]] + 1, [.. slots.Select(i => i < 0 ? null : parsed[v][rows[i]])], id, slotLines, timeline));
        }
        return new CsvTable(names[time], columns, rowLines, Timeline: null, IdColumns: [.. keys.Select(k => names[k])]);
    }

    /// <summary>
    /// The step every id's grid takes: the one inferred from most rows (each id's own step, weighted by its rows; the first
    /// id's on a tie), so an id with a gap among few rows (January, then March) is read on the others' months, not as a
    /// two-month series. Null when no id has two rows.
    /// </summary>
    private static T? SharedStep<T>(IEnumerable<List<int>> groups, Func<List<int>, T?> stepOf) where T : struct
    {
        var votes = new Dictionary<T, int>();
        foreach (var rows in groups)
            if (stepOf(rows) is { } step) votes[step] = votes.GetValueOrDefault(step) + rows.Count;
        return votes.Count == 0 ? null : votes.MaxBy(v => v.Value).Key;
    }

    /// <summary>
    /// The time column: the first column named like a time whose every cell reads as one, else the first such column of text;
    /// else the first column named like a time that holds plain integers (counters: the series are then undated).
    /// </summary>
    private static (int Column, DateTimeOffset[]? Times, long[]? Counters) FindTimes(IReadOnlyList<string> names, IReadOnlyList<List<string>> cells, bool[] text)
    {
        foreach (var named in new[] { true, false })
            for (var c = 0; c < names.Count; c++)
            {
                if (named ? !CsvSeriesReader.IsTimeName(names[c]) : !text[c] || CsvSeriesReader.IsTimeName(names[c])) continue;
                if ((CsvTimeParser.Parse(cells[c], out var problem) ?? CsvTimeParser.ExcelSerialDates(cells[c], named && CsvSeriesReader.IsDateName(names[c]), out _)) is { } times
                    && problem is null) return (c, times, null);
            }
        for (var c = 0; c < names.Count; c++)
            if (CsvSeriesReader.IsTimeName(names[c]) && CsvCounterGrid.Parse(cells[c]) is { } counters) return (c, null, counters);
        return (-1, null, null);
    }

    /// <summary>The first column named like a time whose cells read as times but one: that cell's row and why, or null.</summary>
    private static (int Column, int Index, string Message)? BadTimeCell(IReadOnlyList<string> names, IReadOnlyList<List<string>> cells)
    {
        for (var c = 0; c < names.Count; c++)
        {
            if (!CsvSeriesReader.IsTimeName(names[c])) continue;
            // Counters but for a cell that is no whole number (an empty one, "7a"), else times but for one.
            var odd = cells[c].FindIndex(cell => CsvCounterGrid.Parse([cell]) is null);
            if (odd >= 0 && cells[c].Count(cell => CsvCounterGrid.Parse([cell]) is not null) * 2 > cells[c].Count)
                return (c, odd, $"'{CsvSeriesReader.Shorten(cells[c][odd])}' is not a whole number, as the column's other cells are (counters such as 1, 2, 3).");
            if (CsvTimeParser.Parse(cells[c], out var problem) is null && problem is { } p) return (c, p.Index, p.Message);
        }
        return null;
    }

    /// <summary>"store", "unique_id", "shop_id", "itemCode" name an id; "sales" and "product_price" do not.</summary>
    private static bool IsIdName(string name)
    {
        var words = name.Split(['_', ' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(w => CamelWords().Matches(w).Select(m => m.Value)).ToArray();
        return IdWords.Contains(name.Trim()) || words.Length > 0 && IdSuffixes.Contains(words[^1]) || words.Length == 1 && IdWords.Contains(words[0]);
    }

    /// <summary>
    /// A column of text that can name ids: present on every row, under a header that names no time (Month's Jan to Dec are a
    /// time's part), and neither times (a second date column) nor TRUE/FALSE flags.
    /// </summary>
    private static bool IsIdText(string name, List<string> cells) =>
        !CsvSeriesReader.IsTimeName(name) && cells.All(c => c.Length > 0)
        && !cells.All(c => bool.TryParse(c, out _))
        && !(CsvTimeParser.Parse(cells, out var problem) is not null && problem is null);

    [System.Text.RegularExpressions.GeneratedRegex(@"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\d+", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CamelWords();
}

using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// A CSV in long format: a time column, one or more id columns (store, item) and value columns, one row per id and time,
/// as pandas' <c>melt</c>, R's tidy data and Nixtla's <c>unique_id,ds,y</c> write it. Each id (its id columns' cells joined
/// by '/') becomes a series per value column on its own dates, on the step most rows show (an id off that grid is refused). A file is read so
/// only when its times repeat and a column other than the time column holds text (or is named like an id): every such
/// file was refused before, as a time column of repeated times or a value column of text.
/// </summary>
public static class CsvLongFormat
{
    private static readonly HashSet<string> IdWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "uid", "key", "series", "item", "sku", "store", "shop", "product", "region", "country", "site", "sensor", "station", "code", "name",
    };

    /// <summary>
    /// True when the columns are a long-format file; <paramref name="table"/> is then the series per id and value column, or
    /// null with errors added under <paramref name="field"/> naming the line, column and id.
    /// </summary>
    public static bool TryRead(IReadOnlyList<string> names, IReadOnlyList<int> kept, IReadOnlyList<List<string>> cells, IReadOnlyList<int> rowLines,
        bool decimalComma, ValidationErrors errors, string field, int maxSeries, out CsvTable? table)
    {
        table = null;
        var text = cells.Select(c => CsvSeriesReader.MostlyText(c, decimalComma)).ToArray();
        var (time, times) = FindTimes(names, cells, text);
        if (times is null) return false;
        var keys = Enumerable.Range(0, names.Count).Where(c => c != time && (text[c] || IsIdName(names[c]))).ToArray();
        var values = Enumerable.Range(0, names.Count).Where(c => c != time && !keys.Contains(c)).ToArray();
        if (keys.Length == 0 || values.Length == 0 || times.Select(t => t.UtcTicks).Distinct().Count() == times.Length) return false;

        string Where(int c) => $"column {kept[c] + 1} ('{names[c]}')";
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var r = 0; r < rowLines.Count; r++)
        {
            var id = string.Join('/', keys.Select(k => cells[k][r]));
            if (keys.FirstOrDefault(k => cells[k][r].Length == 0, -1) is var empty and >= 0)
                errors.AddElement(field, $"Line {rowLines[r]}, {Where(empty)}: empty; in a file with a row per id and time every row names its id.", field);
            else if (!SeriesIds.IsValid(id))
                errors.AddElement(field, $"Line {rowLines[r]}: the id '{CsvSeriesReader.Shorten(id)}' ({string.Join(", ", keys.Select(Where))}) names a series and must be {SeriesIds.Rule}.", field);
            else if (groups.TryGetValue(id, out var rows)) rows.Add(r);
            else if (groups.Count >= maxSeries)
            {
                // Each id is a series at least (more with several value columns, which the validator counts once covariates are known).
                errors.Add(field, $"Line {rowLines[r]}: more than {maxSeries} ids ({string.Join(", ", keys.Select(Where))}); " +
                    $"a job takes at most {maxSeries} series (TrainingQueue:MaxSeries), one per id and value column.");
                return true;
            }
            else groups[id] = [r];
        }
        var parsed = values.Select(c => CsvSeriesReader.ReadValues(cells[c], Where(c), rowLines, decimalComma, errors, field)).ToArray();
        if (!errors.IsValid) return true;

        var step = SharedStep(groups.Values, times);
        var columns = new List<CsvValueColumn>(groups.Count * values.Length);
        foreach (var (id, rows) in groups)
        {
            var lines = rows.Select(r => rowLines[r]).ToArray();
            var timeline = CsvTimeline.Build([.. rows.Select(r => times[r])], lines, out var problem, step);
            if (timeline is null)
            {
                errors.Add(field, $"{problem} (id '{id}', {Where(time)})");
                return true;
            }
            IReadOnlyList<int> slotLines = [.. timeline.Rows.Select(i => i < 0 ? 0 : lines[i])];
            for (var v = 0; v < values.Length; v++)
                columns.Add(new CsvValueColumn(names[values[v]], kept[values[v]] + 1, [.. timeline.Rows.Select(i => i < 0 ? null : parsed[v][rows[i]])], id, slotLines, timeline));
        }
        table = new CsvTable(names[time], columns, rowLines, Timeline: null, IdColumns: [.. keys.Select(k => names[k])]);
        return true;
    }

    /// <summary>
    /// The step every id's grid takes: the one inferred from most rows (each id's own step, weighted by its rows), so an id
    /// with a gap among few rows (January, then March) is read on the others' months, not as a two-month series.
    /// </summary>
    private static TimeFrequency? SharedStep(IEnumerable<List<int>> groups, DateTimeOffset[] times)
    {
        var votes = new Dictionary<TimeFrequency, int>();
        foreach (var rows in groups)
        {
            var sorted = rows.Select(r => times[r]).Order().Distinct().ToArray();
            if (sorted.Length >= 2 && TimeFrequency.Infer(sorted) is { } step) votes[step] = votes.GetValueOrDefault(step) + rows.Count;
        }
        return votes.Count == 0 ? null : votes.MaxBy(v => v.Value).Key;
    }

    /// <summary>The time column: the first column named like a time whose every cell reads as one, else the first such column of text.</summary>
    private static (int Column, DateTimeOffset[]? Times) FindTimes(IReadOnlyList<string> names, IReadOnlyList<List<string>> cells, bool[] text)
    {
        foreach (var named in new[] { true, false })
            for (var c = 0; c < names.Count; c++)
            {
                if (named ? !CsvSeriesReader.IsTimeName(names[c]) : !text[c] || CsvSeriesReader.IsTimeName(names[c])) continue;
                if (CsvTimeParser.Parse(cells[c], out var problem) is { } times && problem is null) return (c, times);
            }
        return (-1, null);
    }

    /// <summary>"store", "unique_id", "item code", "series_key" name an id; "sales" does not.</summary>
    private static bool IsIdName(string name) =>
        IdWords.Contains(name.Trim()) || name.Split(['_', ' ', '-', '.'], StringSplitOptions.RemoveEmptyEntries).Any(IdWords.Contains);
}

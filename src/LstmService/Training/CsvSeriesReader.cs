using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// Reads a spreadsheet export: a header row, an optional time column and one or more value columns. Fields are
/// separated by a tab when the header holds one, else ';' when it holds one, else ',', and may be quoted ("a, b" with "" for a quote).
/// The time column is the first column when its header names a time (date, time, timestamp, week, year, ...) or it holds
/// text such as dates, else another such column (see <see cref="FindTimeColumn"/>); every other column is a series. Empty cells, NaN, NA, N/A, #N/A
/// and null mark missing values. Problems go to <see cref="ValidationErrors"/> under one field, with line and column.
/// A time column of times (<see cref="CsvTimeParser"/>) orders the rows and fills missing times with missing values
/// (<see cref="CsvTimeline"/>): the file's order and its gaps then no longer change the series. A first line of numbers and
/// times is a data row of a file without a header.
/// </summary>
public static partial class CsvSeriesReader
{
    internal static readonly HashSet<string> TimeWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "time", "timestamp", "datetime", "ds", "week", "year", "month", "day", "hour", "minute", "quarter", "period",
        // Short names of exports and loggers: a column "ts" of Unix times had been trained as a second series.
        "ts", "dt", "epoch",
        // German, French, Spanish, Italian, Dutch and Portuguese exports ("Jahr;Umsatz" of plain years names its time column).
        "datum", "zeit", "zeitpunkt", "zeitstempel", "jahr", "monat", "woche", "stunde", "quartal",
        "année", "annee", "horodatage", "mois", "semaine", "jour", "heure", "trimestre",
        "fecha", "año", "mes", "semana", "día", "hora", "periodo", "período",
        "anno", "mese", "settimana", "giorno",
        "jaar", "maand", "dag", "uur", "tijd", "kwartaal",
    };

    private static readonly HashSet<string> MissingTokens = new(StringComparer.OrdinalIgnoreCase) { "", "nan", "na", "n/a", "#n/a", "null" };

    private const int MaxCellShown = 40;

    private static string DelimiterName(char delimiter) => delimiter switch { '\t' => "tabs", ';' => "';'", _ => "','" };

    /// <summary>
    /// Parses <paramref name="reader"/>; null (with errors added under <paramref name="field"/>) when the file is not a usable
    /// CSV or its header has more than <paramref name="maxColumns"/> columns (refused before any row is read; the message
    /// names <paramref name="maxSeries"/>, the limit it follows from).
    /// </summary>
    public static async Task<CsvTable?> ReadAsync(TextReader reader, ValidationErrors errors, string field = "file", CancellationToken cancellationToken = default,
        int maxColumns = int.MaxValue, int maxSeries = int.MaxValue)
    {
        var headerLine = await reader.ReadLineAsync(cancellationToken);
        if (headerLine is not null && headerLine.StartsWith('\uFEFF')) headerLine = headerLine[1..]; // a byte order mark the reader kept
        var headerNumber = 1;
        // Leading blank lines, lines of delimiters alone (Excel's ";;" above a table), which would name no column, and
        // Excel's "sep=;" line, which names the delimiter the header then shows (it had been read as the header).
        while (headerLine is not null && (headerLine.All(ch => ch is ',' or ';' || char.IsWhiteSpace(ch)) || ExcelSeparatorLine().IsMatch(headerLine)))
        {
            headerLine = await reader.ReadLineAsync(cancellationToken);
            headerNumber++;
        }
        if (headerLine is null)
        {
            errors.Add(field, "The file is empty: a CSV needs a header row and at least one data row.");
            return null;
        }
        if (NotText(headerLine))
        {
            errors.Add(field, "Not a CSV file: the content is binary (for example an Excel workbook) or text in UTF-16 without a byte order mark. " +
                "Export the sheet as CSV UTF-8 (comma-separated values) and upload that.");
            return null;
        }
        var trimmed = headerLine.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            errors.Add(field, "Not a CSV file: the content looks like JSON. Send JSON as the request body with Content-Type application/json, or upload a CSV.");
            return null;
        }

        var (header, delimiter, lastLine) = await CsvHeaderRow.ReadAsync(headerLine, reader, headerNumber, cancellationToken);
        if (header is null)
        {
            errors.Add(field, $"Line {headerNumber}: a quoted field of the header is never closed.");
            return null;
        }
        headerNumber = lastLine;
        // A decimal comma (103,86; 1.234,56) only where the comma separates no fields, as the dashboard reads a file.
        var decimalComma = delimiter != ',';
        var width = header.Count;
        if (width > maxColumns)
        {
            errors.Add(field, $"The header has {width} columns (separated by {DelimiterName(delimiter)}); a job takes at most {maxSeries} series " +
                $"(TrainingQueue:MaxSeries), so a file may have at most {maxColumns} columns with its time column, covariates and a row index.");
            return null;
        }
        var cells = new List<string>[width];
        for (var c = 0; c < width; c++) cells[c] = [];
        var rowLines = new List<int>();
        // A file without a header: its first line is data (numbers, times, missing cells), so it is kept as the first row.
        var headerless = IsDataRow(header, decimalComma);
        if (headerless)
        {
            for (var c = 0; c < width; c++) cells[c].Add(header[c].Trim());
            rowLines.Add(headerNumber);
        }

        var records = new CsvRecordReader(reader, delimiter, firstLine: headerNumber + 1);
        var badRows = false;
        while (await records.NextAsync(cancellationToken) is { } record)
        {
            // Buffered input is parsed without asking the stream, so a client that went away is noticed here too.
            cancellationToken.ThrowIfCancellationRequested();
            if (record.Fields.All(f => f.Trim().Length == 0)) continue; // a blank line, or one of delimiters only (Excel's ";;")
            if (record.Fields.Any(NotText))
            {
                errors.Add(field, $"Not a CSV file: line {record.Line} holds binary content.");
                return null;
            }
            if (record.Fields.Count != width)
            {
                errors.AddElement(field, $"Line {record.Line} has {record.Fields.Count} fields, but the header has {width} columns (separated by {DelimiterName(delimiter)})." +
                    (delimiter == ',' && record.Fields.Count > width && HasThousandsSeparator(record.Fields) ? ThousandsHint : ""), field);
                badRows = true;
                continue;
            }
            for (var c = 0; c < width; c++) cells[c].Add(record.Fields[c].Trim());
            rowLines.Add(record.Line);
        }
        if (records.UnclosedQuoteLine is { } open)
        {
            errors.Add(field, $"Line {open}: a quoted field is never closed.");
            return null;
        }
        if (badRows) return null;
        if (rowLines.Count == 0)
        {
            errors.Add(field, "The CSV has a header row but no data rows.");
            return null;
        }

        // Unnamed columns that hold no series: a row index (pandas' to_csv, R's write.csv) and an empty column a trailing
        // delimiter makes (Excel's "date,sales,"). Kept, an index would be trained as a series of its own.
        var kept = Enumerable.Range(0, width).Where(c => headerless || header[c].Trim().Length > 0 || !IsEmptyOrRowIndex(cells[c])).ToArray();
        if (kept.Length == 0) kept = [.. Enumerable.Range(0, width)];
        if (kept.Length < width)
        {
            header = [.. kept.Select(c => header[c])];
            cells = [.. kept.Select(c => cells[c])];
            width = kept.Length;
        }
        var names = header.Select((h, c) => !headerless && h.Trim() is { Length: > 0 } name ? name : $"column{kept[c] + 1}").ToArray();
        // A header names its column's series (its id): two columns of one name would be two series nobody can tell apart.
        var headerValid = true;
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < width; c++)
        {
            var first = firstOf.TryAdd(names[c], c) ? c : firstOf[names[c]];
            var problem = !SeriesIds.IsValid(names[c]) ? $"a header names a series and must be {SeriesIds.Rule} ({SeriesIds.Why(names[c])})."
                : first < c ? SameName(c, first) : null;
            if (problem is null) continue;
            errors.Add(field, $"Line {headerNumber}, column {kept[c] + 1}: {problem}");
            headerValid = false;
        }
        if (!headerValid) return null;

        // An empty header is named after its column: a header of that name elsewhere collides with a name nobody wrote.
        string SameName(int c, int first) =>
            headerless || (header[c].Trim().Length > 0 && header[first].Trim().Length > 0)
                ? $"the header '{Shorten(names[c])}' is also column {kept[first] + 1}'s; each column needs its own."
            : header[c].Trim().Length == 0
                ? $"this column has no header, so it is named '{names[c]}', which is column {kept[first] + 1}'s header; give it a header."
                : $"the header '{Shorten(names[c])}' is the name column {kept[first] + 1} gets, which has no header; give column {kept[first] + 1} a header, or this one another name.";
        // Long format (a row per id and time, as pandas' melt, R's tidy data and Nixtla's unique_id/ds/y write it): one series per id.
        if (!headerless && CsvLongFormat.TryRead(names, kept, cells, rowLines, decimalComma, errors, field, maxSeries, out var pivoted))
            return errors.IsValid ? pivoted : null;
        var time = FindTimeColumn(names, cells, decimalComma);
        // Without a header a first column of years (1700, 1701, ...) has no name to say it is a time.
        if (headerless && time is null && width > 1 && CsvTimeParser.Parse(cells[0], out _) is not null) time = 0;

        CsvTimeline? timeline = null;
        if (time is { } t)
        {
            var times = CsvTimeParser.Parse(cells[t], out var problem);
            if (times is null && problem is null) times = CsvTimeParser.ExcelSerialDates(cells[t], IsDateName(names[t]), out problem);
            if (problem is { } p)
            {
                errors.Add(field, $"Line {rowLines[p.Index]}, column {kept[t] + 1} ('{names[t]}'): {p.Message}");
                return null;
            }
            if (times is not null)
            {
                timeline = CsvTimeline.Build(times, rowLines, out var gridProblem);
                if (timeline is null)
                {
                    errors.Add(field, $"{gridProblem} (column {kept[t] + 1}, '{names[t]}')");
                    return null;
                }
            }
        }

        var columns = new List<CsvValueColumn>(width);
        for (var c = 0; c < width; c++)
        {
            if (c == time) continue;
            var where = $"column {kept[c] + 1} ('{names[c]}')";
            var values = ReadValues(cells[c], _ => where, rowLines, decimalComma, errors, field);
            columns.Add(new CsvValueColumn(names[c], kept[c] + 1, timeline is null ? values : [.. timeline.Rows.Select(r => r < 0 ? null : values[r])]));
        }
        if (columns.Count == 0)
        {
            errors.Add(field, $"The CSV has no value column: its only column '{names[time!.Value]}' was taken as the time column " +
                "(it is named like a time or holds text). Add one or more numeric columns, one series each.");
            return null;
        }
        IReadOnlyList<int> lines = timeline is null ? rowLines : [.. timeline.Rows.Select(r => r < 0 ? 0 : rowLines[r])];
        return errors.IsValid ? new CsvTable(time is { } tc ? names[tc] : null, columns, lines, timeline) : null;
    }

    /// <summary>
    /// A value column's numbers (null where missing); a cell that is not one is reported with its line and <paramref name="where"/>
    /// (of its row), and a column whose values are mostly text (notes, labels) in one message, not one per line.
    /// </summary>
    internal static double?[] ReadValues(List<string> cells, Func<int, string> where, IReadOnlyList<int> rowLines, bool decimalComma, ValidationErrors errors, string field)
    {
        var values = new double?[cells.Count];
        var failed = new List<int>();
        int present = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var cell = cells[r];
            if (MissingTokens.Contains(cell)) continue;
            present++;
            if (TryParseNumber(cell, decimalComma, out var v)) values[r] = v;
            else if (bool.TryParse(cell, out var flag)) values[r] = flag ? 1 : 0; // Excel's TRUE/FALSE (a holiday flag): 1 and 0
            else failed.Add(r);
        }
        if (failed.Count > 1 && 2 * failed.Count > present && where(failed[0]) == where(failed[^1]))
        {
            // A column of notes had been refused once per note (a QA pass), where the column is what the file must lose.
            var examples = string.Join(", ", failed.Select(r => $"'{Shorten(cells[r])}'").Distinct().Take(3));
            var share = failed.Count == present ? $"all of its {present}" : $"{failed.Count} of its {present}";
            errors.AddElement(field, $"{Capitalised(where(failed[0]))} holds text in {share} values ({examples}; lines " +
                $"{rowLines[failed[0]]}-{rowLines[failed[^1]]}): each column besides the time and the ids is a series or a covariate, of numbers. " +
                "Delete the column (a column of notes or labels) and upload the file again.", field);
            return values;
        }
        foreach (var r in failed)
            errors.AddElement(field, $"Line {rowLines[r]}, {where(r)}: '{Shorten(cells[r])}' is not a number " +
                "(use a number such as 1234.5 or 1,234.5, or 1234,5 or 1.234,5 in a file separated by ';' or tabs; an empty cell, NaN or NA marks a missing value).", field);
        return values;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// The time axis: the first column when its header names a time or it holds mostly text (such as dates); else the
    /// first other column that names a time and holds text, then one that holds text, then one that names a time; else none.
    /// </summary>
    internal static int? FindTimeColumn(IReadOnlyList<string> names, IReadOnlyList<List<string>> cells, bool decimalComma = false)
    {
        var text = cells.Select(c => MostlyText(c, decimalComma)).ToArray();
        var named = names.Select(IsTimeName).ToArray();
        if (named[0] || text[0]) return 0;
        for (var c = 1; c < names.Count; c++) if (named[c] && text[c]) return c;
        for (var c = 1; c < names.Count; c++) if (text[c]) return c;
        for (var c = 1; c < names.Count; c++) if (named[c]) return c;
        return null;
    }

    /// <summary>A first line whose every cell is a number, a time or missing is data, not a header (a header names its columns).</summary>
    private static bool IsDataRow(List<string> fields, bool decimalComma) =>
        fields.Select(f => f.Trim()).All(f => MissingTokens.Contains(f) || TryParseNumber(f, decimalComma, out _) || CsvTimeParser.LooksLikeTime(f))
        && fields.Any(f => !MissingTokens.Contains(f.Trim()));

    /// <summary>More than half of the present cells are not numbers: a value column with a few typos stays a value column, and its bad cells are reported.</summary>
    internal static bool MostlyText(List<string> column, bool decimalComma)
    {
        int present = 0, text = 0;
        foreach (var cell in column)
        {
            if (MissingTokens.Contains(cell)) continue;
            present++;
            if (!TryParseNumber(cell, decimalComma, out _) && !bool.TryParse(cell, out _)) text++; // TRUE/FALSE are values (1, 0)
        }
        return text * 2 > present;
    }

    /// <summary>Headers that name a day, under which five-digit integers are Excel serial dates (<see cref="CsvTimeParser.ExcelSerialDates"/>).</summary>
    internal static readonly HashSet<string> DateWords = new(StringComparer.OrdinalIgnoreCase) { "date", "day", "datum", "fecha", "día", "jour", "giorno", "dag" };

    /// <summary>"Date", "order_date", "Datum" name a day; "week", "period" or "sales" do not.</summary>
    internal static bool IsDateName(string name) => HasWord(name, DateWords);

    /// <summary>"year", "Date", "week_start", "Timestamp (UTC)", "weekEnding" name a time; "sales" or "yearly_total" do not.</summary>
    internal static bool IsTimeName(string name) => HasWord(name, TimeWords);

    /// <summary>Whether the header, or one of its words ("order_date", "weekEnding"), is in <paramref name="words"/>.</summary>
    private static bool HasWord(string name, HashSet<string> words) => words.Contains(name.Trim()) || Words().Matches(name).Any(m => words.Contains(m.Value));

    [GeneratedRegex(@"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    /// <summary>
    /// A number as spreadsheets export it: plain (1234.5, 1e-3), with thousands commas (1,234.5, quoted in a comma file),
    /// and with <paramref name="decimalComma"/> a decimal comma (1234,5) or thousands points (1.234,5), as the dashboard reads them:
    /// a plain number first, so 1.234 is one and a quarter-thousandth, not a thousand.
    /// </summary>
    private static bool TryParseNumber(string cell, bool decimalComma, out double value)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return double.IsFinite(value); // 0.125, 1.234
        var plain = cell;
        if (decimalComma && DecimalComma().IsMatch(cell)) plain = cell.Replace(',', '.');
        else if (decimalComma && PointGroupedDecimalComma().IsMatch(cell)) plain = cell.Replace(".", "").Replace(',', '.');
        else if (CommaGrouped().IsMatch(cell)) plain = cell.Replace(",", "");
        // French and other locales group thousands with a space (plain, no-break or narrow no-break): "98 821,16".
        else if (SpaceGrouped().IsMatch(cell) && (decimalComma || !cell.Contains(',')))
            plain = new string([.. cell.Where(c => c is not (' ' or '\u00A0' or '\u202F'))]).Replace(',', '.');
        return double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>An unnamed column with nothing in it, or whose cells count the rows (0, 1, 2, ... or 1, 2, 3, ...).</summary>
    private static bool IsEmptyOrRowIndex(List<string> cells)
    {
        if (cells.All(c => c.Length == 0)) return true;
        if (cells.Count < 2 || !long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first) || first is not (0 or 1)) return false;
        for (var r = 1; r < cells.Count; r++)
            if (!long.TryParse(cells[r], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n != first + r) return false;
        return true;
    }

    [GeneratedRegex(@"^[+-]?\d+,\d+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalComma();

    private const string ThousandsHint = " A number written with a thousands separator (1,234) splits into two fields: quote it (\"1,234\") or leave the separator out.";

    /// <summary>
    /// Whether a line's fields read as a number split at a thousands separator: 1 to 3 digits, then a field of exactly 3
    /// (and maybe decimals). A QA pass saw such a file answered with field counts alone.
    /// </summary>
    private static bool HasThousandsSeparator(IReadOnlyList<string> fields)
    {
        for (var i = 1; i < fields.Count; i++)
            if (ThousandsGroup().IsMatch(fields[i].Trim()) && LeadingGroup().IsMatch(fields[i - 1].Trim())) return true;
        return false;
    }

    [GeneratedRegex(@"^\d{3}(\.\d+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsGroup();

    [GeneratedRegex(@"^[+-]?\d{1,3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingGroup();

    [GeneratedRegex(@"^""?sep=.""?[,;\t]*\s*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExcelSeparatorLine();

    [GeneratedRegex(@"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PointGroupedDecimalComma();

    [GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex CommaGrouped();

    [GeneratedRegex(@"^[+-]?\d{1,3}([ \u00A0\u202F]\d{3})+([.,]\d+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceGrouped();

    private static bool NotText(string s)
    {
        foreach (var ch in s)
            if (ch < ' ' && ch != '\t' && ch != '\r' && ch != '\n') return true; // NUL and control characters: a zip (xlsx) or other binary
        return false;
    }

    internal static string Shorten(string cell) => cell.Length <= MaxCellShown ? cell : cell[..MaxCellShown] + "…";
}

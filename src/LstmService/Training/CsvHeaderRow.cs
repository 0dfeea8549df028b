using System.Text;
using System.Text.RegularExpressions;

namespace LstmService.Training;

/// <summary>
/// An uploaded CSV's header row: its delimiter and its column names. A quoted name may hold a line break (Excel writes one
/// for Alt+Enter), so the row may span lines; the delimiter is judged on the whole row, outside its quotes.
/// </summary>
internal static partial class CsvHeaderRow
{
    /// <summary>Lines one header row may span: a stray quote must not make the whole file its header.</summary>
    private const int MaxLines = 16;

    /// <summary>
    /// The names of the row that starts with <paramref name="firstLine"/> (line <paramref name="lineNumber"/>), reading on
    /// while a quote is open, its delimiter and the number of its last line; null names when a quote never closes.
    /// </summary>
    public static async Task<(List<string>? Names, char Delimiter, int LastLine)> ReadAsync(string firstLine, TextReader reader, int lineNumber,
        CancellationToken cancellationToken)
    {
        var row = firstLine;
        var delimiter = Delimiter(row);
        var names = SplitLine(row, delimiter, out var open);
        var last = lineNumber;
        while (open && last - lineNumber < MaxLines && await reader.ReadLineAsync(cancellationToken) is { } more)
        {
            row += "\n" + more;
            last++;
            names = SplitLine(row, delimiter, out open);
        }
        if (open) return (null, delimiter, last);
        if (last == lineNumber) return (names, delimiter, last);
        // Spanning lines, the delimiter is judged again on the whole row ("Datum\n(UTC)";Umsatz: no ';' on its first line),
        // and a line break inside a name becomes a space: the name is the series' id ("Sales (EUR)").
        delimiter = Delimiter(row);
        names = SplitLine(row, delimiter, out _);
        return ([.. names.Select(n => LineBreaks().Replace(n, " "))], delimiter, last);
    }

    /// <summary>
    /// A tab, else a semicolon, else a comma, outside quoted names: a tab or a semicolon is a separator far more often than part
    /// of a name, while a comma often is part of one in a semicolon export ("Umsatz (EUR, netto)"), so they are tried first.
    /// </summary>
    private static char Delimiter(string row)
    {
        var outside = Quoted().Replace(row, "");
        return outside.Contains('\t') ? '\t' : outside.Contains(';') ? ';' : ',';
    }

    /// <summary>The line's fields, with the records' quoting rules; <paramref name="open"/> says whether it ends inside a quoted field.</summary>
    public static List<string> SplitLine(string line, char delimiter, out bool open)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        // Whether the field so far is blank (what Trim() would empty): kept as it grows, because asking the builder at every
        // quote made a header such as a followed by x" repeated take time with the square of its length.
        bool quoted = false, blank = true;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); blank = false; i++; }
                else if (ch == '"') quoted = false;
                else { field.Append(ch); blank &= char.IsWhiteSpace(ch); }
            }
            else if (ch == '"' && blank) { field.Clear(); quoted = true; }
            else if (ch == delimiter) { fields.Add(field.ToString()); field.Clear(); blank = true; }
            else { field.Append(ch); blank &= char.IsWhiteSpace(ch); }
        }
        fields.Add(field.ToString());
        if (fields.Count > 0 && fields[0].Length > 0 && fields[0][0] == '\uFEFF') fields[0] = fields[0][1..]; // a BOM the reader kept
        open = quoted;
        return fields;
    }

    [GeneratedRegex(@"\s*\r?\n\s*", RegexOptions.CultureInvariant)]
    private static partial Regex LineBreaks();

    // A quoted name (its doubled quotes are two quoted runs side by side); a stray quote without its pair is left.
    [GeneratedRegex("\"[^\"]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();
}

using System.Globalization;
using System.Text.RegularExpressions;
using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// Reads a CSV's time column: ISO 8601 dates and date-times (with or without an offset; a time without one is taken as
/// UTC), plain years, YYYY-MM, YYYY-Qn, and day-first or month-first dates (dd/MM/yyyy, MM/dd/yyyy, with '/', '-' or '.')
/// when the column itself tells which: a first part above 12 means day-first, a second part above 12 month-first; a column
/// where neither happens is ambiguous (01/02/2020) and refused rather than guessed. Dotted dates (31.12.2020) are day-first.
/// Unix times in seconds or milliseconds (1704067200) are read as UTC, and ISO 8601 basic dates (20240131) as dates.
/// </summary>
public static partial class CsvTimeParser
{
    // The JSON API's ISO forms plus the slash, space-separated-offset and compact forms spreadsheets export.
    private static readonly string[] IsoFormats =
    [
        .. Timestamps.IsoFormats,
        "yyyy/MM/dd", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", "yyyyMMdd", "yyyyMMddTHHmmss",
        "yyyyMMddTHHmmssK",
    ];

    /// <summary>Plain years are numbers, so a numeric time column counts as years only inside this range.</summary>
    private const int MinYear = 1000, MaxYear = 2999;

    /// <summary>
    /// The time of every cell, or null with a message naming the first bad cell's index (the caller names its line).
    /// A column of plain integers outside the year range is not a time (a period counter such as week 1, 2, 3) and gives
    /// null with no message: the file's order then stands, as before times were read.
    /// </summary>
    public static DateTimeOffset[]? Parse(IReadOnlyList<string> cells, out (int Index, string Message)? problem)
    {
        problem = null;
        // Unix times as databases and loggers export them: seconds (9-10 digits) or milliseconds (13) since 1970, from 2000 on.
        if (cells.Count > 0 && cells.All(c => UnixTime(c) is not null)) return [.. cells.Select(c => UnixTime(c)!.Value)];
        // ISO 8601's basic dates (20240131), as data tools write them: read as counters they had closed every gap unseen.
        if (cells.Count > 0 && cells.All(c => BasicDate(c) is not null)) return [.. cells.Select(c => BasicDate(c)!.Value)];
        if (cells.All(IsInteger))
        {
            if (!cells.All(c => int.Parse(c, CultureInfo.InvariantCulture) is >= MinYear and <= MaxYear)) return null;
            return [.. cells.Select(c => new DateTimeOffset(int.Parse(c, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, TimeSpan.Zero))];
        }

        var dayFirst = DayFirst(cells, out var orderProblem);
        if (orderProblem is not null)
        {
            var first = cells.Select((c, i) => (c, i)).First(x => PartsDate().IsMatch(x.c));
            problem = (first.i, $"'{first.c}': {orderProblem}");
            return null;
        }
        var times = new DateTimeOffset[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (TryParseCell(cell, dayFirst, out times[i])) continue;
            // The forms JSON reads (weeks and quarters too, which the message had left out), and the spreadsheet forms a CSV adds.
            problem = (i, Timestamps.Refusal(cell, alsoRead: "a day such as 31/01/2020"));
            return null;
        }
        return times;
    }

    /// <summary>Excel's serial day numbers this parser reads as dates: 1954-09-26 to 2099-12-31 (five digits past the years).</summary>
    private const int MinSerialDay = 20_000, MaxSerialDay = 73_050;

    /// <summary>
    /// A column of Excel serial day numbers (a date cell saved with the General format: 44927 is 2023-01-01), read as dates
    /// when the column's header names a date (<paramref name="dateHeader"/>); else null, and the integers stay counters.
    /// Excel's day 0 is 1899-12-30 for every day after its fictitious 1900-02-29.
    /// </summary>
    /// <param name="cells">The column's cells.</param>
    /// <param name="dateHeader">Whether the column's header names a day.</param>
    /// <param name="problem">Set when most cells are serial days but one is an integer outside them (a typo that would
    /// otherwise leave the whole file undated): its index and why.</param>
    public static DateTimeOffset[]? ExcelSerialDates(IReadOnlyList<string> cells, bool dateHeader, out (int Index, string Message)? problem)
    {
        problem = null;
        static bool Serial(string c) => IsInteger(c) && int.Parse(c, CultureInfo.InvariantCulture) is >= MinSerialDay and <= MaxSerialDay;
        if (!dateHeader || cells.Count == 0 || !cells.All(IsInteger)) return null;
        var odd = -1;
        for (var i = 0; i < cells.Count && odd < 0; i++) if (!Serial(cells[i])) odd = i;
        if (odd >= 0)
        {
            if (cells.Count(Serial) * 2 > cells.Count)
                problem = (odd, $"'{cells[odd]}' is not an Excel serial date of 1954-2099 ({MinSerialDay} to {MaxSerialDay}) as the column's other cells are.");
            return null;
        }
        var epoch = new DateTimeOffset(1899, 12, 30, 0, 0, 0, TimeSpan.Zero);
        return [.. cells.Select(c => epoch.AddDays(int.Parse(c, CultureInfo.InvariantCulture)))];
    }

    /// <summary>True when a single cell reads as a time on its own (used to tell a data row from a header row).</summary>
    public static bool LooksLikeTime(string cell) => !IsInteger(cell) && (TryParseCell(cell, dayFirst: true, out _) || TryParseCell(cell, dayFirst: false, out _));

    private static bool TryParseCell(string cell, bool dayFirst, out DateTimeOffset time)
    {
        time = default;
        if (YearMonth().Match(cell) is { Success: true } ym)
        {
            var month = int.Parse(ym.Groups[2].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12) return false;
            time = new DateTimeOffset(int.Parse(ym.Groups[1].Value, CultureInfo.InvariantCulture), month, 1, 0, 0, 0, TimeSpan.Zero);
            return true;
        }
        if (YearQuarter().Match(cell) is { Success: true } yq)
        {
            time = new DateTimeOffset(int.Parse(yq.Groups[1].Value, CultureInfo.InvariantCulture), 3 * int.Parse(yq.Groups[2].Value, CultureInfo.InvariantCulture) - 2, 1, 0, 0, 0, TimeSpan.Zero);
            return true;
        }
        if (DateTimeOffset.TryParseExact(cell, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time)) return true;
        if (Timestamps.TryParseWeek(cell, out time)) return true;
        if (PartsDate().Match(cell) is { Success: true } parts)
        {
            var a = int.Parse(parts.Groups["a"].Value, CultureInfo.InvariantCulture);
            var b = int.Parse(parts.Groups["b"].Value, CultureInfo.InvariantCulture);
            var (day, month) = dayFirst ? (a, b) : (b, a);
            var year = int.Parse(parts.Groups["y"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
            var clock = TimeSpan.Zero;
            if (parts.Groups["t"].Success && !TimeSpan.TryParseExact(parts.Groups["t"].Value, ["h\\:mm", "h\\:mm\\:ss"], CultureInfo.InvariantCulture, out clock)) return false;
            time = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero) + clock;
            return true;
        }
        return false;
    }

    /// <summary>Which order the column's dd/MM or MM/dd dates are in; <paramref name="problem"/> says why when the column does not tell.</summary>
    private static bool DayFirst(IReadOnlyList<string> cells, out string? problem)
    {
        problem = null;
        bool firstOver12 = false, secondOver12 = false, dotted = false, any = false;
        foreach (var cell in cells)
        {
            if (PartsDate().Match(cell) is not { Success: true } m) continue;
            any = true;
            firstOver12 |= int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture) > 12;
            secondOver12 |= int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture) > 12;
            dotted |= m.Groups["sep"].Value == ".";
        }
        if (!any) return true;
        if (firstOver12 && secondOver12) problem = "the column mixes day-first and month-first dates; use ISO 8601 (2020-01-31).";
        else if (!firstOver12 && !secondOver12 && !dotted)
            problem = "the dates are ambiguous (day-first or month-first: no day above 12 tells); use ISO 8601 (2020-01-31).";
        return firstOver12 || !secondOver12;
    }

    /// <summary>
    /// A cell of seconds (9 or 10 digits: 2000-01-01 is 946684800) or milliseconds (13) since 1970 that falls in 2000-2099,
    /// else null.
    /// </summary>
    private static DateTimeOffset? UnixTime(string cell)
    {
        const long From = 946_684_800, To = 4_102_444_800; // 2000-01-01, 2100-01-01
        if (cell.Length is not (9 or 10 or 13) || !cell.All(char.IsAsciiDigit)) return null;
        var n = long.Parse(cell, CultureInfo.InvariantCulture);
        if (cell.Length == 13 && n is >= From * 1000 and < To * 1000) return DateTimeOffset.FromUnixTimeMilliseconds(n);
        return cell.Length < 13 && n is >= From and < To ? DateTimeOffset.FromUnixTimeSeconds(n) : null;
    }

    /// <summary>A cell of eight digits that is a date (yyyyMMdd) of the years this parser reads, else null.</summary>
    private static DateTimeOffset? BasicDate(string cell) =>
        cell.Length == 8 && cell.All(char.IsAsciiDigit)
        && DateTimeOffset.TryParseExact(cell, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
        && date.Year is >= MinYear and <= MaxYear ? date : null;

    private static bool IsInteger(string cell) => cell.Length is > 0 and <= 9 && cell.All(char.IsAsciiDigit);

    [GeneratedRegex(@"^(\d{4})[-/](\d{1,2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex YearMonth();

    [GeneratedRegex(@"^(\d{4})[- ]?Q([1-4])\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex YearQuarter();

    [GeneratedRegex(@"^(?<a>\d{1,2})(?<sep>[/.-])(?<b>\d{1,2})\k<sep>(?<y>\d{4})([ T](?<t>\d{1,2}:\d{2}(:\d{2})?))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PartsDate();
}

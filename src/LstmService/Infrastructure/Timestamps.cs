using System.Globalization;
using System.Text.RegularExpressions;

namespace LstmService.Infrastructure;

/// <summary>
/// A JSON request's timestamps (<c>start</c>, <c>timestamps[i]</c>): ISO 8601 dates and date-times with or without an offset
/// (without one a time is read as UTC here; a dated stream's append reads it on the stream's own clock, see
/// <see cref="HasOffset"/>), and the period forms a CSV's time column takes too: a year (2020), a month (2020-01) and a
/// quarter (2020-Q1), each meaning its first day, and ISO 8601's week dates (2020-W01, its Monday; 2020-W01-3, its
/// Wednesday), which weekly reports label their weeks by. A JSON client writes ISO 8601, so the spreadsheet forms a CSV
/// upload also reads (31/12/2020) are not guessed at here.
/// </summary>
public static partial class Timestamps
{
    /// <summary>The ISO 8601 forms read here; a CSV's time column reads these and a few spreadsheet forms more.</summary>
    internal static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-dd HH:mm:sszzz",
        // ISO 8601's offset of whole hours alone (+02), which PostgreSQL writes for timestamptz; it had been no timestamp.
        "yyyy-MM-ddTHH:mm:sszz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFzz", "yyyy-MM-ddTHH:mmzz", "yyyy-MM-dd HH:mm:sszz", "yyyy-MM-dd HH:mm:ss.FFFFFFFzz",
    ];

    public const string Expected = "an ISO 8601 date or date-time such as 2020-01-31 or 2020-01-31T13:00:00Z, a week (2020-W05), a year (2020), a month (2020-01) or a quarter (2020-Q1)";

    /// <summary>
    /// What a text <see cref="TryParse"/> does not read is told, on every endpoint and in a CSV: a week date past its year's
    /// last week says how many weeks that year has (2021-W53 had been told only the forms read, 2020-W53 among them).
    /// </summary>
    /// <param name="text">The text refused.</param>
    /// <param name="alsoRead">Forms the caller reads beyond <see cref="Expected"/> (a CSV's spreadsheet dates), listed after them.</param>
    public static string Refusal(string? text, string? alsoRead = null)
    {
        if (text is null) return $"null is not a time: use {Expected}.";
        if (IsoWeek().Match(text.Trim()) is { Success: true } m && int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) is >= 2 and <= 9998 and var year
            && int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture) is var week && week > ISOWeek.GetWeeksInYear(year))
            return $"'{text}' is not a week of {year}: it has {ISOWeek.GetWeeksInYear(year)} ISO 8601 weeks.";
        return $"'{text}' is not a time: use {Expected}{(alsoRead is null ? "" : $", or {alsoRead}")}.";
    }

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null) return false;
        var cell = text.Trim();
        if (Period().Match(cell) is { Success: true } m)
        {
            var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
            var month = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture)
                : m.Groups["q"].Success ? 3 * int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture) - 2 : 1;
            if (year < 1 || month is < 1 or > 12) return false;
            time = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            return true;
        }
        if (IsoWeek().IsMatch(cell)) return TryParseWeek(cell, out time);
        return DateTimeOffset.TryParseExact(cell, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    /// <summary>
    /// An ISO 8601 week date (2020-W05, 2020W05, 2020-W05-3): its day, Monday where none is given. The week must be one of
    /// the year's 52 or 53 (a QA pass's 2023-W01 had been refused, told to use an ISO 8601 date).
    /// </summary>
    internal static bool TryParseWeek(string cell, out DateTimeOffset time)
    {
        time = default;
        if (IsoWeek().Match(cell.Trim()) is not { Success: true } m) return false;
        int year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), week = int.Parse(m.Groups["w"].Value, CultureInfo.InvariantCulture);
        int day = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        if (year is < 2 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year)) return false;
        time = new DateTimeOffset(ISOWeek.ToDateTime(year, week, (DayOfWeek)(day % 7)), TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// Reads every text of the request field <paramref name="field"/> (one error per bad element), or null when any is bad;
    /// the forecast and training requests' <c>timestamps</c> are read alike.
    /// </summary>
    public static DateTimeOffset[]? TryParseAll(IReadOnlyList<string> texts, string field, ValidationErrors errors)
    {
        var times = new DateTimeOffset[texts.Count];
        var valid = true;
        for (var j = 0; j < texts.Count; j++)
            if (!TryParse(texts[j], out times[j]))
            {
                errors.AddElement($"{field}[{j}]", Refusal(texts[j]), field);
                valid = false;
            }
        return valid ? times : null;
    }

    /// <summary>The forms of <see cref="IsoFormats"/> that state no offset.</summary>
    private static readonly string[] ClockFormats = [.. IsoFormats.Where(f => !f.EndsWith("zz", StringComparison.Ordinal) && !f.EndsWith('K'))];

    /// <summary>
    /// Whether <paramref name="text"/>, a time <see cref="TryParse"/> reads, states its offset (Z, +02:00, +0200); a date, a
    /// clock time without one or a period does not.
    /// </summary>
    public static bool HasOffset(string text)
    {
        var cell = text.Trim();
        return !Period().IsMatch(cell) && !IsoWeek().IsMatch(cell) && !DateTimeOffset.TryParseExact(cell, ClockFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
    }

    /// <summary>The months a period form spans (a year 12, a quarter 3, a month 1); 0 for a date or a date-time.</summary>
    public static int PeriodMonths(string text) => Period().Match(text.Trim()) is not { Success: true } m ? 0
        : m.Groups["m"].Success ? 1 : m.Groups["q"].Success ? 3 : 12;

    /// <summary>Whether <paramref name="text"/> is a date alone (2020-01-31, or a week date), with no time of day.</summary>
    public static bool IsDate(string text) => IsoWeek().IsMatch(text.Trim()) ||
        DateTimeOffset.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    /// <summary>A time as the API writes it: ISO 8601 with its offset (2020-01-01T00:00:00+00:00).</summary>
    public static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>\d{4})(-(?<m>\d{1,2})|-?Q(?<q>[1-4]))?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Period();

    [GeneratedRegex(@"^(?<y>\d{4})(-W(?<w>\d{2})(-(?<d>[1-7]))?|W(?<w>\d{2})(?<d>[1-7])?)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoWeek();
}

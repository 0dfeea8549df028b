using System.Globalization;
using System.Net;
using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>The time column of an uploaded CSV: its formats, order, gaps, duplicates, frequency and files without a header.</summary>
public sealed class CsvTimestampTests
{
    private static Task<(CsvTable? Table, Dictionary<string, string[]> Errors)> Read(string csv) => CsvReading.Read(csv);

    private static Task<CsvTable> ReadValid(string csv) => CsvReading.ReadValid(csv);

    private static string Csv(string header, IEnumerable<string> times) =>
        header + "\n" + string.Join("\n", times.Select((t, i) => $"{t},{i + 1}")) + "\n";

    [Theory]
    [InlineData("2020-01-01|2020-01-02|2020-01-03", TimeUnit.Day, 1, "2020-01-01T00:00:00+00:00")]
    [InlineData("2020/01/01|2020/01/08|2020/01/15", TimeUnit.Week, 1, "2020-01-01T00:00:00+00:00")]
    [InlineData("2020-01-01T00:00:00Z|2020-01-01T01:00:00Z|2020-01-01T02:00:00Z", TimeUnit.Hour, 1, "2020-01-01T00:00:00+00:00")]
    [InlineData("2020-01-01T00:00+02:00|2020-01-01T00:15+02:00|2020-01-01T00:30+02:00", TimeUnit.Minute, 15, "2019-12-31T22:00:00+00:00")]
    [InlineData("2020-01-01 06:00|2020-01-01 12:00|2020-01-01 18:00", TimeUnit.Hour, 6, "2020-01-01T06:00:00+00:00")]
    [InlineData("1700|1701|1702", TimeUnit.Year, 1, "1700-01-01T00:00:00+00:00")]
    [InlineData("2020-01|2020-02|2020-03", TimeUnit.Month, 1, "2020-01-01T00:00:00+00:00")]
    [InlineData("2020-01-31|2020-02-29|2020-03-31|2020-04-30", TimeUnit.Month, 1, "2020-01-31T00:00:00+00:00")]
    [InlineData("2020-01-01|2020-04-01|2020-07-01", TimeUnit.Quarter, 1, "2020-01-01T00:00:00+00:00")]
    [InlineData("2020Q1|2020Q2|2020-Q3", TimeUnit.Quarter, 1, "2020-01-01T00:00:00+00:00")]
    // ISO week dates, as weekly reports label their weeks: 2020's first week began on Monday 30 December 2019, and 2020 had 53.
    [InlineData("2020-W01|2020-W02|2020W03", TimeUnit.Week, 1, "2019-12-30T00:00:00+00:00")]
    [InlineData("2020-W52|2020-W53|2021-W01|2021-W02", TimeUnit.Week, 1, "2020-12-21T00:00:00+00:00")]
    [InlineData("2023-W10-5|2023-W11-5|2023-W12-5", TimeUnit.Week, 1, "2023-03-10T00:00:00+00:00")]
    [InlineData("2000-06-30|2001-06-30|2002-06-30", TimeUnit.Year, 1, "2000-06-30T00:00:00+00:00")]
    [InlineData("30/01/2020|31/01/2020|01/02/2020", TimeUnit.Day, 1, "2020-01-30T00:00:00+00:00")] // day-first: 30 and 31 tell
    [InlineData("01/30/2020|01/31/2020|02/01/2020", TimeUnit.Day, 1, "2020-01-30T00:00:00+00:00")] // month-first
    [InlineData("30.12.2020|31.12.2020|01.01.2021", TimeUnit.Day, 1, "2020-12-30T00:00:00+00:00")]
    [InlineData("01.02.2020|02.02.2020", TimeUnit.Day, 1, "2020-02-01T00:00:00+00:00")] // dotted dates are day-first
    [InlineData("13/01/2020 08:00|13/01/2020 09:00", TimeUnit.Hour, 1, "2020-01-13T08:00:00+00:00")]
    // Local midnights whose offset changes with daylight saving (Europe/Berlin, as pandas writes them) step by days, weeks, months.
    [InlineData("2024-03-30 00:00:00+01:00|2024-03-31 00:00:00+01:00|2024-04-01 00:00:00+02:00|2024-04-02 00:00:00+02:00", TimeUnit.Day, 1, "2024-03-30T00:00:00+01:00")]
    [InlineData("2024-10-26 00:00:00+02:00|2024-10-27 00:00:00+02:00|2024-10-28 00:00:00+01:00", TimeUnit.Day, 1, "2024-10-26T00:00:00+02:00")]
    [InlineData("2024-03-25 00:00:00+01:00|2024-04-01 00:00:00+02:00|2024-04-08 00:00:00+02:00", TimeUnit.Week, 1, "2024-03-25T00:00:00+01:00")]
    [InlineData("2020-02-01 00:00:00+01:00|2020-03-01 00:00:00+01:00|2020-04-01 00:00:00+02:00", TimeUnit.Month, 1, "2020-02-01T00:00:00+01:00")]
    // Hours stay elapsed time: the night the clocks go back has two 02:00s, an hour apart.
    [InlineData("2024-10-27 01:00:00+02:00|2024-10-27 02:00:00+02:00|2024-10-27 02:00:00+01:00|2024-10-27 03:00:00+01:00", TimeUnit.Hour, 1, "2024-10-27T01:00:00+02:00")]
    // The 28th of each month from a February, where the 28th is the last day.
    [InlineData("2021-02-28|2021-03-28|2021-04-28", TimeUnit.Month, 1, "2021-02-28T00:00:00+00:00")]
    // UTC midnights shown in Europe/Berlin (pandas' tz_convert): a day of elapsed time while the local clock moves by an hour.
    [InlineData("2024-03-30 01:00:00+01:00|2024-03-31 01:00:00+01:00|2024-04-01 02:00:00+02:00|2024-04-02 02:00:00+02:00", TimeUnit.Day, 1, "2024-03-30T01:00:00+01:00")]
    public async Task Each_format_is_read_and_its_frequency_inferred(string times, TimeUnit unit, int count, string first)
    {
        var table = await ReadValid(Csv("date,value", times.Split('|')));
        Assert.Equal(new TimeFrequency(unit, count), table.Timeline!.Frequency);
        Assert.Equal(DateTimeOffset.Parse(first, CultureInfo.InvariantCulture), table.Timeline.Timestamps[0]);
        Assert.Equal(0, table.Timeline.MissingTimes);
        Assert.Equal(Enumerable.Range(1, times.Split('|').Length).Select(v => (double?)v), table.Columns[0].Values);
    }

    [Fact]
    public async Task Reversed_rows_are_put_in_time_order()
    {
        var dates = Enumerable.Range(0, 10).Select(i => new DateOnly(2021, 3, 1).AddDays(i)).Reverse().ToArray();
        var csv = "date,v\n" + string.Join("\n", dates.Select(d => $"{d:yyyy-MM-dd},{d.Day}")) + "\n";
        var table = await ReadValid(csv);
        Assert.Equal(Enumerable.Range(1, 10).Select(d => (double?)d), table.Columns[0].Values);
        Assert.Equal(11, table.RowLines[0]); // the earliest time is the file's last line
        Assert.Equal(new TimeFrequency(TimeUnit.Day, 1), table.Timeline!.Frequency);
    }

    [Fact]
    public async Task Missing_dates_become_missing_values()
    {
        // The case: dropping every 7th of 60 dates used to close the gaps up silently.
        var kept = Enumerable.Range(0, 60).Where(i => i % 7 != 2).ToArray();
        var csv = "date,v\n" + string.Join("\n", kept.Select(i => $"{new DateOnly(2020, 1, 1).AddDays(i):yyyy-MM-dd},{i}")) + "\n";
        var table = await ReadValid(csv);
        var values = table.Columns[0].Values;
        Assert.Equal(60, values.Length);
        Assert.Equal(60 - kept.Length, table.Timeline!.MissingTimes);
        Assert.Equal(60 - kept.Length, table.Columns[0].Missing);
        for (var i = 0; i < 60; i++) Assert.Equal(i % 7 == 2 ? null : i, values[i]);
        Assert.Equal(new DateTimeOffset(2020, 1, 3, 0, 0, 0, TimeSpan.Zero), table.Timeline.Timestamps[2]);
        Assert.Equal(0, table.RowLines[2]);
    }

    [Fact]
    public async Task A_missing_month_is_a_missing_value()
    {
        var table = await ReadValid("month,v\n2020-01,1\n2020-02,2\n2020-04,4\n");
        Assert.Equal([1, 2, null, 4], table.Columns[0].Values);
        Assert.Equal(new TimeFrequency(TimeUnit.Month, 1), table.Timeline!.Frequency);
    }

    [Theory]
    [InlineData("date,v\n2020-01-01,1\n2020-01-02,2\n2020-01-01,3\n", "Line 4", "repeats line 2")]
    [InlineData("date,v\n2020-01-01,1\n2020-01-02,2\nyesterday,3\n", "Line 4, column 1 ('date')", "'yesterday' is not a time")]
    [InlineData("date,v\n2020-01-01,1\n,2\n", "Line 3, column 1 ('date')", "'' is not a time")]
    [InlineData("date,v\n2020-13-01,1\n2020-01-02,2\n", "Line 2, column 1 ('date')", "is not a time")]
    [InlineData("date,v\n2021-W52,1\n2021-W53,2\n", "Line 3, column 1 ('date')", "'2021-W53' is not a week of 2021: it has 52 ISO 8601 weeks")]
    [InlineData("week,v\n2020-W52,1\n2020-W5x,2\n", "Line 3, column 1 ('week')", "a week (2020-W05)")] // the forms a CSV reads, weeks among them
    [InlineData("date,v\n01/02/2020,1\n02/02/2020,2\n", "Line 2, column 1 ('date')", "ambiguous")]
    [InlineData("date,v\n13/01/2020,1\n01/13/2020,2\n", "Line 2, column 1 ('date')", "mixes day-first and month-first")]
    [InlineData("time,v\n2020-01-01T00:00,1\n2020-01-01T01:00,2\n2020-01-01T02:00,3\n2020-01-01T03:30,4\n", "Line 5", "not on the grid")]
    // One stray time among many is the one named, whether it halves the shortest distance, misses the grid or comes first.
    [InlineData("time,v\n2021-03-01T00:00,1\n2021-03-01T01:00,2\n2021-03-01T02:00,3\n2021-03-01T03:30,4\n2021-03-01T04:00,5\n2021-03-01T05:00,6\n", "Line 5", "not on the grid")]
    [InlineData("time,v\n2021-03-01T00:00,1\n2021-03-01T01:00,2\n2021-03-01T02:00,3\n2021-03-01T03:00,4\n2021-03-01T04:17,5\n2021-03-01T05:00,6\n2021-03-01T06:00,7\n", "Line 6", "not on the grid")]
    [InlineData("time,v\n2021-03-01T00:30,1\n2021-03-01T01:00,2\n2021-03-01T02:00,3\n2021-03-01T03:00,4\n2021-03-01T04:00,5\n", "Line 2", "not on the grid")]
    [InlineData("date,v\n2020-02-17,1\n2020-02-18,2\n2020-02-19T12:00,3\n2020-02-19,4\n2020-02-20,5\n2020-02-21,6\n", "Line 4", "not on the grid")]
    // One stray date among monthly rows is the one named, on the monthly grid: the calendar had been given up for a grid
    // of 31 days, and the message named a row that was right.
    [InlineData("date,v\n2020-01-01,0\n2020-02-01,1\n2020-03-01,2\n2020-04-01,3\n2020-05-01,4\n2020-06-30,5\n2020-07-01,6\n2020-08-01,7\n2020-09-01,8\n2020-10-01,9\n2020-11-01,10\n2020-12-01,11\n", "Line 7", "not on the grid of 1 month steps from 2020-01-01")]
    [InlineData("date,v\n2020-01-01,0\n2020-02-01,1\n2020-03-01,2\n2020-04-01,3\n2020-05-01,4\n2020-06-15,99\n2020-06-01,5\n2020-07-01,6\n2020-08-01,7\n2020-09-01,8\n2020-10-01,9\n2020-11-01,10\n2020-12-01,11\n", "Line 7", "not on the grid of 1 month steps from 2020-01-01")]
    [InlineData("date,v\n2019-12-20,99\n2020-01-01,0\n2020-02-01,1\n2020-03-01,2\n2020-04-01,3\n2020-05-01,4\n2020-06-01,5\n2020-07-01,6\n2020-08-01,7\n2020-09-01,8\n2020-10-01,9\n2020-11-01,10\n2020-12-01,11\n", "Line 2", "not on the grid of 1 month steps from 2020-01-01")]
    [InlineData("date,v\n2020-01-01,0\n2020-02-01,1\n2020-03-01,2\n2020-04-01T12:00,3\n2020-05-01,4\n2020-06-01,5\n2020-07-01,6\n2020-08-01,7\n2020-09-01,8\n2020-10-01,9\n2020-11-01,10\n2020-12-01,11\n", "Line 5", "not on the grid of 1 month steps from 2020-01-01")]
    [InlineData("date,v\n2020-01-01,1\n2020-01-02,2\n2090-01-01,3\n", "Line 4", "would make")]
    [InlineData("time,v\n2020-01-01T00:00:00,1\n2020-01-01T00:00:30,2\n", "Line 3", "less than a minute")]
    // Hours apart but on no grid of minutes (a QA pass had been told they were less than a minute apart).
    [InlineData("time,v\n2024-01-01T00:00:00,1\n2024-01-01T07:13:20,2\n2024-01-02T01:02:03,3\n2024-01-02T08:15:23,4\n", "Line 3", "most often 07:13:20 apart, not a whole number of minutes")]
    // One local date at two offsets: two instants, one daily step.
    [InlineData("date,v\n2024-03-30T00:00+01:00,1\n2024-03-31T00:00+01:00,2\n2024-03-31T00:00+02:00,3\n2024-04-01T00:00+02:00,4\n", "Line 3", "falls on the 1 day step of line 4")]
    public async Task Bad_times_are_refused_naming_the_line(string csv, string line, string message)
    {
        var (table, errors) = await Read(csv);
        Assert.Null(table);
        var error = Assert.Single(errors["file"]);
        Assert.StartsWith(line, error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_a_header_keeps_its_first_row()
    {
        var table = await ReadValid("2020-01-01,5\n2020-01-02,6\n2020-01-03,7\n");
        Assert.Equal("column1", table.TimeColumn);
        Assert.Equal("column2", Assert.Single(table.Columns).Name);
        Assert.Equal([5, 6, 7], table.Columns[0].Values);
        Assert.Equal([1, 2, 3], table.RowLines);
    }

    [Fact]
    public async Task A_file_without_a_header_may_start_with_years_or_only_hold_numbers()
    {
        var years = await ReadValid("1701,11\n1700,5\n1702,16\n");
        Assert.Equal(new TimeFrequency(TimeUnit.Year, 1), years.Timeline!.Frequency);
        Assert.Equal([5, 11, 16], years.Columns[0].Values);

        var numbers = await ReadValid("1.5,2\n2.5,\n3.5,4\n");
        Assert.Null(numbers.TimeColumn);
        Assert.Equal(2, numbers.Columns.Count);
        Assert.Equal([1.5, 2.5, 3.5], numbers.Columns[0].Values);
    }

    [Fact]
    public async Task A_period_counter_keeps_the_file_order()
    {
        var table = await ReadValid("week,v\n1,10\n2,20\n3,30\n");
        Assert.Equal("week", table.TimeColumn);
        Assert.Null(table.Timeline);
        Assert.Equal([10, 20, 30], table.Columns[0].Values);
    }

    [Fact]
    public async Task Excel_serial_days_under_a_date_header_are_dates()
    {
        // A date cell saved with Excel's General format: 44927 is 2023-01-01; a missing day is a gap, as with dates.
        var table = await ReadValid("Order Date,sales\n44927,10\n44928,20\n44930,40\n");
        Assert.Equal(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero), table.Timeline!.Timestamps[0]);
        Assert.Equal(new TimeFrequency(TimeUnit.Day, 1), table.Timeline.Frequency);
        Assert.Equal([10, 20, null, 40], table.Columns[0].Values);
        // Monthly serials (the first of each month) are months; in a long file they date each id.
        table = await ReadValid("date,v\n44927,1\n44958,2\n44986,3\n");
        Assert.Equal(new TimeFrequency(TimeUnit.Month, 1), table.Timeline!.Frequency);
        table = await ReadValid("store,date,v\na,44927,1\nb,44927,2\na,44928,3\nb,44928,4\n");
        Assert.Equal(new DateTimeOffset(2023, 1, 2, 0, 0, 0, TimeSpan.Zero), table.Columns[0].Timeline!.Timestamps[1]);
        // One integer among them outside the serial range is named (it left the whole file undated).
        var (refused, errors) = await CsvReading.Read("Date,sales\n44927,1\n19000,2\n44929,3\n");
        Assert.Null(refused);
        Assert.Contains("Line 3, column 1 ('Date'): '19000' is not an Excel serial date of 1954-2099", Assert.Single(errors["file"]));
        // Under a header that names no day, or outside 1954-2099, integers stay counters.
        Assert.Null((await ReadValid("period,v\n44927,1\n44928,2\n")).Timeline);
        Assert.Null((await ReadValid("date,v\n1,1\n2,2\n")).Timeline);
    }

    [Fact]
    public async Task An_upload_with_a_duplicate_time_answers_400_naming_the_line()
    {
        await using var factory = new LstmServiceFactory();
        using var client = factory.CreateClient();
        var response = await client.PostCsvAsync("dupes", "date,v\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n");
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains(errors["file"], e => e.StartsWith("Line 4: the time 2020-01-02 repeats line 3", StringComparison.Ordinal) && e.Contains("repeats line 3", StringComparison.Ordinal));
    }
}

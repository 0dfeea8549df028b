using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// CSV files as spreadsheets and data tools export them: row indexes (pandas, R), trailing delimiters and delimiter-only
/// rows (Excel), decimal commas and grouped thousands (European locales), as the dashboard reads them too.
/// </summary>
public sealed class CsvExportFormatTests
{
    private static Task<(CsvTable? Table, Dictionary<string, string[]> Errors)> Read(string csv) => CsvReading.Read(csv);

    private static Task<CsvTable> ReadValid(string csv) => CsvReading.ReadValid(csv);

    [Theory]
    [InlineData(",date,sales\n0,2020-01-01,1.5\n1,2020-02-01,2.5\n2,2020-03-01,3.5\n")] // pandas to_csv
    [InlineData("\"\",\"date\",\"sales\"\n\"1\",\"2020-01-01\",1.5\n\"2\",\"2020-02-01\",2.5\n\"3\",\"2020-03-01\",3.5\n")] // R write.csv
    [InlineData("date,sales,\n2020-01-01,1.5,\n2020-02-01,2.5,\n,,\n2020-03-01,3.5,\n")] // Excel: a trailing delimiter, a row of delimiters
    [InlineData(",,\n\n,,\ndate,sales,\n2020-01-01,1.5,\n2020-02-01,2.5,\n2020-03-01,3.5,\n")] // rows of delimiters above the table
    [InlineData("sep=;\ndate;sales\n2020-01-01;1,5\n2020-02-01;2,5\n2020-03-01;3,5\n")] // Excel's separator line (it had been read as the header)
    public async Task An_unnamed_row_index_or_empty_column_is_no_series(string csv)
    {
        var table = await ReadValid(csv);
        var column = Assert.Single(table.Columns);
        Assert.Equal(("date", "sales"), (table.TimeColumn, column.Name));
        Assert.Equal([1.5, 2.5, 3.5], column.Values);
        Assert.Equal(new TimeFrequency(TimeUnit.Month, 1), table.Timeline!.Frequency);
    }

    [Theory]
    [InlineData("sales\n10\n11\r12\n13\n")] // a stray \r had joined 11 and 12 into 1112
    [InlineData("sales\r10\r11\r12\r13\r")] // classic Mac OS line ends: the header had been split, the rows not
    [InlineData("sales\r\n10\r\n11\r\n12\r\n13\r\n")] // Windows
    public async Task A_carriage_return_ends_a_line_as_a_line_feed_does(string csv)
    {
        var table = await ReadValid(csv);
        Assert.Equal([10.0, 11, 12, 13], Assert.Single(table.Columns).Values);
        Assert.Equal([2, 3, 4, 5], table.RowLines);
        // Inside quotes a line break stays in its field: "1\r2" is one cell, and no number.
        var (_, errors) = await Read("sales\r10\r\"1\r2\"\r13\r");
        Assert.Contains("Line 3, column 1 ('sales')", Assert.Single(errors["file"]));
    }

    [Fact]
    public async Task An_unnamed_column_of_other_values_stays_a_series_and_keeps_its_file_column_number()
    {
        var table = await ReadValid(",date,,sales\n5,2020-01-01,,1\n7,2020-01-02,,2\n9,2020-01-03,,3\n");
        Assert.Equal([("column1", 1), ("sales", 4)], table.Columns.Select(c => (c.Name, c.Number)));
        Assert.Equal([5.0, 7, 9], table.Columns[0].Values);

        var (_, errors) = await Read(",date,sales\n0,2020-01-01,1\n1,2020-01-02,x\n");
        Assert.Contains("Line 3, column 3 ('sales'): 'x' is not a number", Assert.Single(errors["file"]));
    }

    [Theory]
    [InlineData("Datum;Umsatz\n2020-01-01;103,86\n2020-01-02;1.234,5\n2020-01-03;-7\n;\n", 103.86, 1234.5, -7)]
    [InlineData("Datum\tUmsatz\n2020-01-01\t103,86\n2020-01-02\t1.234,5\n2020-01-03\t-7\n", 103.86, 1234.5, -7)]
    [InlineData("date,sales\n2020-01-01,\"10,386.00\"\n2020-01-02,\"1,234.5\"\n2020-01-03,-7e0\n", 10386, 1234.5, -7)]
    [InlineData("period;Absatz\n1;103,86\n2;1234,5\n3;-7\n", 103.86, 1234.5, -7)] // periods, not times: the value column is not text
    [InlineData("date;sales\n2020-01-01;0.125\n2020-01-02;1.234\n2020-01-03;-0.001\n", 0.125, 1.234, -0.001)] // a decimal point is read first, as the dashboard does
    [InlineData("date\tsales\n2020-01-01\t0.125\n2020-01-02\t1.234\n2020-01-03\t-0.001\n", 0.125, 1.234, -0.001)]
    // French grouping: a space, a no-break or a narrow no-break space between thousands (they had been refused).
    [InlineData("date;ventes\n2020-01-01;98 821,16\n2020-01-02;1\u00A0234\n2020-01-03;-1\u202F000\u202F000,5\n", 98821.16, 1234, -1000000.5)]
    [InlineData("date,sales\n2020-01-01,98 821.16\n2020-01-02,1 234\n2020-01-03,7\n", 98821.16, 1234, 7)]
    public async Task Decimal_commas_where_the_comma_separates_no_fields_and_grouped_thousands_are_read(string csv, double a, double b, double c)
    {
        var table = await ReadValid(csv);
        Assert.Equal([a, b, c], Assert.Single(table.Columns).Values);
    }

    [Theory]
    [InlineData("date,sales\n2020-01-01,\"103,86\"\n", "'103,86' is not a number")] // a comma file has no decimal comma
    [InlineData("date;sales\n2020-01-01;1.23,4\n", "'1.23,4' is not a number")]
    public async Task A_number_in_neither_form_is_named(string csv, string expected)
    {
        var (table, errors) = await Read(csv);
        Assert.Null(table);
        Assert.Contains(expected, Assert.Single(errors["file"]));
    }

    [Theory]
    [InlineData("timestamp,load\n1704067200,5\n1704070800,6\n1704074400,7\n")] // Unix seconds, hourly
    [InlineData("time,load\n1704067200000,5\n1704070800000,6\n1704074400000,7\n")] // milliseconds
    [InlineData("ts,load\n1704067200,5\n1704070800,6\n1704074400,7\n")] // a logger's short name: it had been a second series
    [InlineData("Zeitstempel;Last\n1704067200;5\n1704070800;6\n1704074400;7\n")]
    public async Task Unix_times_in_a_time_column_are_read_as_utc(string csv)
    {
        var table = await ReadValid(csv);
        Assert.Equal(new TimeFrequency(TimeUnit.Hour, 1), table.Timeline!.Frequency);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), table.Timeline.Timestamps[0]);
        Assert.Equal([5.0, 6, 7], Assert.Single(table.Columns).Values);
    }

    [Theory]
    [InlineData("timestamp,load\n946684800,5\n946688400,6\n946695600,7\n", "2000-01-01T00:00:00+00:00", 1)] // seconds of 2000-2001: nine digits
    [InlineData("date,y\n20240101,5\n20240102,6\n20240104,7\n", "2024-01-01T00:00:00+00:00", 24)] // ISO 8601 basic dates
    public async Task Nine_digit_unix_times_and_basic_dates_are_times_and_their_gaps_missing(string csv, string first, int hours)
    {
        // Read as counters they had left the file undated and closed its gap unseen.
        var table = await ReadValid(csv);
        Assert.Equal(new TimeFrequency(hours == 24 ? TimeUnit.Day : TimeUnit.Hour, 1), table.Timeline!.Frequency);
        Assert.Equal(DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), table.Timeline.Timestamps[0]);
        Assert.Equal([5.0, 6, null, 7], Assert.Single(table.Columns).Values);
    }

    [Theory]
    [InlineData("Jahr;Umsatz\n2001;5\n2002;6\n2003;7\n", "Jahr")]
    [InlineData("Año,Ventas\n2001,5\n2002,6\n2003,7\n", "Año")]
    [InlineData("annee,ventes\n2001,5\n2002,6\n2003,7\n", "annee")]
    [InlineData("Año fiscal,Ventas\n2001,5\n2002,6\n2003,7\n", "Año fiscal")] // a word of a header, in any script
    [InlineData("Année civile,ventes\n2001,5\n2002,6\n2003,7\n", "Année civile")]
    public async Task A_column_of_years_named_in_another_language_is_the_time_column(string csv, string time)
    {
        // Plain years are numbers: only the header's name tells them from a series (it was trained as one).
        var table = await ReadValid(csv);
        Assert.Equal(time, table.TimeColumn);
        Assert.Equal(new TimeFrequency(TimeUnit.Year, 1), table.Timeline!.Frequency);
        Assert.Equal([5.0, 6, 7], Assert.Single(table.Columns).Values);
    }

    [Fact]
    public async Task A_column_of_true_and_false_is_values_not_times()
    {
        // Excel's flags: 1 and 0, never the time column of a file without one.
        var table = await ReadValid("x,flag\n1,TRUE\n2,FALSE\n3,true\n");
        Assert.Null(table.TimeColumn);
        Assert.Equal([1.0, 0, 1], table.Columns[1].Values);
    }
}

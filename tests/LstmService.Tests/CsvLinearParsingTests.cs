using System.Text;
using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// CSV parsing in time linear in the file (the speed itself is measured by the benchmark's hardening mode) and stopping
/// when the client goes away.
/// </summary>
public sealed class CsvLinearParsingTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_header_of_200_KB_of_stray_quotes_is_one_column_and_answers_400_naming_the_file()
    {
        // The issue's example: a header 'a' followed by x" repeated (14 s of CPU when every quote re-read the field).
        var header = "a" + string.Concat(Enumerable.Repeat("x\"", 100_000));
        var response = await fixture.Client.PostCsvAsync("m", header + "\n");
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains("no data rows", Assert.Single(errors["file"]));
    }

    [Fact]
    public async Task Quotes_in_a_header_keep_their_meaning()
    {
        var errors = new ValidationErrors();
        // A quote after blanks opens a quoted field; one after text is part of the name.
        var table = await CsvSeriesReader.ReadAsync(new StringReader("year,  \"sales, north\",we\"ird\n2000,1,2\n2001,3,4\n"), errors);
        Assert.True(errors.IsValid);
        Assert.Equal(["sales, north", "we\"ird"], table!.Columns.Select(c => c.Name));
    }

    [Theory]
    // Excel writes a line break typed into a header cell (Alt+Enter) inside its quotes; the name keeps a space for it.
    [InlineData("date,\"Sales\r\n(EUR)\"\r\n2020-01-01,1\r\n2020-01-02,\"2\"\r\n2020-01-03,3\r\n", "Sales (EUR)", 3)]
    [InlineData("date;\"Umsatz\n\nnetto\";\"b\"\n2020-01-01;1;4\n2020-01-02;2;5\n2020-01-03;3;6\n", "Umsatz netto", 4)]
    // Classic Mac OS line ends ("\r" alone) count inside the quotes too (they had not, so later lines were named one early).
    [InlineData("date,\"Sales\r(EUR)\"\r2020-01-01,1\r2020-01-02,2\r2020-01-03,3\r", "Sales (EUR)", 3)]
    // The delimiter is judged on the whole row: its first line holds no ';' (it had been read as one column of commas).
    [InlineData("\"Datum\n(UTC)\";Umsatz\n2020-01-01;1\n2020-01-02;2\n2020-01-03;3\n", "Umsatz", 3)]
    // A quote after text is part of the name and opens nothing: the next line is data.
    [InlineData("date,size 12\"\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n", "size 12\"", 2)]
    public async Task A_line_break_in_a_quoted_header_cell_is_part_of_the_name(string csv, string column, int firstDataLine)
    {
        var errors = new ValidationErrors();
        var table = await CsvSeriesReader.ReadAsync(new StringReader(csv), errors);
        Assert.True(errors.IsValid, string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal(column, table!.Columns[0].Name);
        Assert.Equal([1.0, 2.0, 3.0], table.Columns[0].Values);
        Assert.Equal(firstDataLine, table.RowLines[0]); // errors name the file's own lines
    }

    [Fact]
    public async Task A_header_quote_that_never_closes_is_named_by_its_line()
    {
        var errors = new ValidationErrors();
        var csv = "\n\"date,sales\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"2020-01-{i % 28 + 1:00},{i}\n"));
        Assert.Null(await CsvSeriesReader.ReadAsync(new StringReader(csv), errors));
        Assert.Equal("Line 2: a quoted field of the header is never closed.", Assert.Single(errors.ToDictionary()["file"]));
    }

    [Theory]
    [InlineData("Datum;Umsatz (EUR, netto)\n2020-01-01;1\n2020-01-02;2\n2020-01-03;3\n", "Umsatz (EUR, netto)")]
    [InlineData("date\tsales, north\n2020-01-01\t1\n2020-01-02\t2\n2020-01-03\t3\n", "sales, north")]
    public async Task A_comma_in_a_header_does_not_override_its_semicolons_or_tabs(string csv, string column)
    {
        var errors = new ValidationErrors();
        var table = await CsvSeriesReader.ReadAsync(new StringReader(csv), errors);
        Assert.True(errors.IsValid, string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal([1.0, 2.0, 3.0], Assert.Single(table!.Columns, c => c.Name == column).Values.Select(v => v!.Value));
    }

    [Fact]
    public async Task Parsing_stops_when_the_request_is_abandoned()
    {
        var csv = new StringBuilder("t,v\n");
        for (int i = 0; i < 10_000; i++) csv.Append(i).Append(',').Append(i % 7).Append('\n');
        using var abandoned = new CancellationTokenSource();
        abandoned.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CsvSeriesReader.ReadAsync(new StringReader(csv.ToString()), new ValidationErrors(), cancellationToken: abandoned.Token));
    }
}

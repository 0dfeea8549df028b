using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>
/// The forecast form as a QA pass (2026-12-07) used it: decimal commas in the History box, an error that left the previous
/// forecast on screen, a CSV file's column taken without a word, another version opened with the previous one's history,
/// and the chart's axis, download name and floor note.
/// </summary>
public sealed class DashboardForecastFormBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);

    static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Submits the form and returns the history it posted.</summary>
    static async Task<double?[]> PostedHistory(IPage page)
    {
        var posted = page.WaitForRequestAsync(r => r.Url.Contains("/forecast", StringComparison.Ordinal) && r.Method == "POST", new() { Timeout = Timeout });
        await page.ClickAsync("#forecast-form button");
        var history = JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("series")[0].GetProperty("history");
        return history.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray();
    }

    [ChromiumFact]
    public async Task The_history_box_reads_decimal_commas_where_the_separators_leave_no_doubt_and_refuses_what_reads_two_ways()
    {
        await fixture.Client.TrainAsync("form-commas", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/form-commas/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        var values = Api.Sine(20).Select(v => Math.Round(v, 1)).ToArray();
        string Comma(double v) => Invariant(v).Replace('.', ',');

        // Separated by ';', or by spaces with every comma between digits: decimal commas (105,5; 104,5 had read 105, 5, 104, 5).
        await page.FillAsync("#history", string.Join("; ", values.Select(Comma)));
        Assert.Equal(values.Select(v => (double?)v), await PostedHistory(page));
        await page.FillAsync("#history", string.Join(" ", values.Select(Comma)));
        Assert.Equal(values.Select(v => (double?)v), await PostedHistory(page));
        await page.FillAsync("#history", string.Join("\n", values.Select(Comma)));
        Assert.Equal(values.Select(v => (double?)v), await PostedHistory(page));
        // A list separated by commas still reads as one, with or without spaces, and with '.' decimals.
        var integers = Enumerable.Range(1, 20).Select(i => (double?)i).ToArray();
        await page.FillAsync("#history", string.Join(",", integers));
        Assert.Equal(integers, await PostedHistory(page));
        await page.FillAsync("#history", string.Join(", ", integers));
        Assert.Equal(integers, await PostedHistory(page));
        await page.FillAsync("#history", string.Join(",", values.Select(Invariant)));
        Assert.Equal(values.Select(v => (double?)v), await PostedHistory(page));
        // Rows of a comma list, one per line, the last one short: each row had read as one number of 35 digits (a QA pass).
        var counts = Enumerable.Range(0, 26).Select(i => (double?)(112 + 7 * i % 40)).ToArray();
        var rows = counts.Chunk(12).Select(row => string.Join(",", row));
        await page.FillAsync("#history", string.Join("\n", rows));
        Assert.Equal(counts, await PostedHistory(page));

        // What reads two ways is refused, naming the value, and nothing is posted.
        var forecasts = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/forecast", StringComparison.Ordinal)) forecasts++; };
        foreach (var (history, named) in new[] { ("1,234.5, 7, 8", "'1,234.5' reads two ways"), ("1,5, 2,5, 3,5", "'1,5' reads two ways"), ("1,2 3.5", "'1,2' reads two ways"), ("112,118\n132,129\n121,135", "'112,118' reads two ways") })
        {
            await page.FillAsync("#history", history);
            await page.ClickAsync("#forecast-form button");
            await page.Locator($"#error:has-text(\"{named}\")").WaitForAsync(new() { Timeout = Timeout });
        }
        // A number past a double's range is out of range, not a decimal-point problem.
        await page.FillAsync("#history", "1, 2, 1e400");
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#error:has-text(\"out of range: '1e400' (value 3)\")").WaitForAsync(new() { Timeout = Timeout });
        Assert.DoesNotContain("decimal point", await page.Locator("#error").TextContentAsync());
        Assert.Equal(0, forecasts);
    }

    [ChromiumFact]
    public async Task A_history_refused_in_the_browser_clears_the_previous_forecast()
    {
        await fixture.Client.TrainAsync("form-cleared", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/form-cleared/versions/1?history=" + string.Join(",", Api.Sine(30).Select(v => Invariant(Math.Round(v, 2)))));
        await page.Locator("#forecast-table tbody tr").First.WaitForAsync(new() { Timeout = Timeout });
        await page.FillAsync("#history", "1, 2, 66..6");
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#error:has-text(\"'66..6' (value 3)\")").WaitForAsync(new() { Timeout = Timeout });
        // The chart and table of the forecast before had stayed under the error, as if they were its forecast.
        Assert.Equal(0, await page.Locator("#forecast-chart path").CountAsync());
        Assert.True(await page.Locator("#forecast-values").IsHiddenAsync());
    }

    [ChromiumFact]
    public async Task A_csv_file_says_which_column_it_gave_and_another_can_be_picked()
    {
        await fixture.Client.TrainAsync("form-columns", new
        {
            series = new[] { new { id = "widgets", values = Api.Sine(60), start = "2018-01" }, new { id = "gadgets", values = Api.Sine(60), start = "2018-01" } },
            frequency = "monthly", inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, ensemble = 1,
        });
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/form-columns/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        // The label had said "its last column" where the column named like a training series (here the first) was taken.
        Assert.Contains("the column named like the version's series, else its last", await page.Locator("label:has(#history-file)").TextContentAsync());
        var csv = "month,widgets,gadgets\n" + string.Join("\n", Enumerable.Range(0, 24).Select(i => $"{2021 + i / 12}-{i % 12 + 1:00},{10 + i},{(i == 3 ? "" : 500 + i)}"));
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "products.csv", MimeType = "text/csv", Buffer = Utf8(csv) });
        await page.Locator("#history-file-note:has-text('widgets')").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("From products.csv: column 2 ('widgets'), 24 values.", await page.Locator("#history-file-note").TextContentAsync());

        // The other column, picked: its values, its name and its missing value said.
        Assert.Equal(["column 2 ('widgets')", "column 3 ('gadgets')"], await page.Locator("#history-column option").AllTextContentsAsync());
        await page.SelectOptionAsync("#history-column", new SelectOptionValue { Label = "column 3 ('gadgets')" });
        Assert.StartsWith("500, 501, 502, NaN, 504", await page.InputValueAsync("#history"));
        Assert.Equal("From products.csv: column 3 ('gadgets'), 23 values and 1 missing.", await page.Locator("#history-file-note").TextContentAsync());
        var posted = page.WaitForRequestAsync(r => r.Url.Contains("/forecast", StringComparison.Ordinal) && r.Method == "POST");
        await page.ClickAsync("#forecast-form button");
        Assert.Equal("gadgets", JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("series")[0].GetProperty("id").GetString());
        // The forecast's answer is awaited: arriving after the file below, its success would clear that file's error.
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });

        // A file's errors: one field is one, and a number past a double's range is out of range.
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "short.csv", MimeType = "text/csv", Buffer = Utf8("a,b\n1,2\n3\n") });
        await page.Locator("#error:has-text('line 3 has 1 field, but the header has 2')").WaitForAsync(new() { Timeout = Timeout });
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "huge.csv", MimeType = "text/csv", Buffer = Utf8("a,b\n1,2\n3,1e400\n") });
        await page.Locator("#error:has-text(\"line 3: '1e400' is out of range\")").WaitForAsync(new() { Timeout = Timeout });
    }

    [ChromiumFact]
    public async Task Another_version_opened_forgets_the_history_and_file_of_the_one_before()
    {
        await fixture.Client.TrainAsync("form-first", Api.TinyTraining(epochs: 2));
        await fixture.Client.TrainAsync("form-second", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/form-first/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "first.csv", MimeType = "text/csv", Buffer = Utf8("value\n" + string.Join("\n", Enumerable.Range(1, 20))) });
        await page.WaitForFunctionAsync("() => document.getElementById('history').value !== ''");

        await page.Locator("#models tbody tr[data-model='form-second'] button").ClickAsync();
        await page.Locator("#version-title:has-text('form-second v1')").WaitForAsync(new() { Timeout = Timeout });
        // Forecast had sent the first model's series to the second.
        Assert.Equal("", await page.InputValueAsync("#history"));
        Assert.Equal("", await page.InputValueAsync("#history-file"));
        Assert.Equal("", await page.Locator("#history-file-note").TextContentAsync());
    }

    [ChromiumFact]
    public async Task Values_typed_over_a_files_let_go_of_the_file_and_its_first_time_so_the_file_can_be_read_again()
    {
        // A version that knows its frequency takes a first time (an undated one leaves the field off).
        await fixture.Client.TrainAsync("form-typed", new
        {
            series = new[] { new { id = "typed", values = Api.Sine(40), start = "1969" } }, frequency = "yearly",
            inputWindow = 4, horizon = 2, hiddenSize = 4, epochs = 2, ensemble = 1,
        });
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/form-typed/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        var file = new FilePayload { Name = "dated.csv", MimeType = "text/csv", Buffer = Utf8("year,value\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{1969 + i},{i + 1}"))) };
        await page.SetInputFilesAsync("#history-file", file);
        await page.Locator("#history-file-note:has-text('dated.csv')").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("1969", await page.InputValueAsync("#history-start"));

        // Typed over: the file and the first time it gave go (the first time had been sent with the typed values, and the
        // same file picked again had fired no change).
        await page.FillAsync("#history", "5, 6, 7");
        Assert.Equal("", await page.InputValueAsync("#history-file"));
        Assert.Equal("", await page.InputValueAsync("#history-start"));
        await page.SetInputFilesAsync("#history-file", file);
        await page.Locator("#history-file-note:has-text('dated.csv')").WaitForAsync(new() { Timeout = Timeout });
        Assert.StartsWith("1, 2, 3", await page.InputValueAsync("#history"));
        Assert.Equal("1969", await page.InputValueAsync("#history-start"));
    }

    [ChromiumFact]
    public async Task An_undated_forecast_numbers_its_steps_as_its_table_does_and_its_download_names_the_version()
    {
        await fixture.Client.TrainAsync("form-steps", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        var history = Api.Sine(40).Select(v => Invariant(Math.Round(v, 2)));
        await page.GotoAsync("/#/models/form-steps/versions/1?history=" + string.Join(",", history));
        await page.Locator("#forecast-table tbody tr").First.WaitForAsync(new() { Timeout = Timeout });
        // The axis had run from 0 to "42 steps" (history and forecast counted together) beside a table of steps 1 to 3.
        Assert.Equal(["1", "2", "3"], await page.Locator("#forecast-table tbody td:first-child").AllTextContentsAsync());
        Assert.Equal(["history of 40", "step 1–step 3"], await page.Locator("#forecast-chart text.tick").AllTextContentsAsync());
        Assert.Equal("forecast-form-steps-v1.csv", await page.GetAttributeAsync("#forecast-csv", "download"));
        // A version of a series never negative floors its forecasts at zero: said of the version, not as values cut.
        Assert.StartsWith("Never below zero: this version floors its forecasts at zero", await page.Locator("#forecast-note").TextContentAsync());
    }
}

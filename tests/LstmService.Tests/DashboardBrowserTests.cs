using System.Net.Http.Json;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>The dashboard in a real headless Chromium against the service on a loopback port.</summary>
public sealed class DashboardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task Lists_a_trained_model_and_plots_its_loss_curves_and_a_forecast()
    {
        await fixture.Client.TrainAsync("browser-sine", Api.TinyTraining(epochs: 5));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/");
        var row = page.Locator("#models tbody tr[data-model='browser-sine']");
        await row.First.WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
        await row.First.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await page.Locator("#loss-chart path.train").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(3, await page.Locator("#backtest tbody tr").CountAsync()); // model, naive, seasonal naive

        await page.FillAsync("#history", string.Join(", ", Api.Sine(40).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))));
        await page.ClickAsync("#forecast-form button");
        var mean = page.Locator("#forecast-chart path.mean");
        await mean.WaitForAsync(new() { Timeout = Timeout });
        Assert.Matches(@"^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){3,}$", await mean.GetAttributeAsync("d")); // the last history point and 3 steps
        Assert.Matches(@"^M.*Z$", await page.Locator("#forecast-chart path.fan").GetAttributeAsync("d"));
        Assert.NotEmpty(await page.Locator("#forecast-chart path.history").GetAttributeAsync("d") ?? "");

        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Shows_a_classifiers_task_scores_and_confusion_matrix_instead_of_a_backtest()
    {
        await fixture.Client.TrainAsync("browser-quarters", ClassificationFixture.Request(LstmService.TestSupport.NottemWindows.Before1936.Take(60), epochs: 3));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);

        await page.GotoAsync("/");
        var row = page.Locator("#models tbody tr[data-model='browser-quarters']");
        await row.First.WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
        Assert.Equal("classification", await row.First.Locator("td").Nth(2).TextContentAsync());
        await row.First.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await page.Locator("#confusion tbody tr[data-class='Q4']").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(4, await page.Locator("#confusion tbody tr").CountAsync());
        Assert.Contains("accuracy", await page.Locator("#class-scores").TextContentAsync());
        Assert.True(await page.Locator("#backtest-block").IsHiddenAsync());
        Assert.True(await page.Locator("#forecast-block").IsHiddenAsync());
        Assert.Contains("classification into Q1, Q2, Q3, Q4", await page.Locator("#version-title").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_classifiers_classes_not_scored_are_named_beside_its_macro_F1()
    {
        // The split holds none of the rare class out, so its F1 of 0 judged nothing.
        var job = await fixture.Client.TrainAsync("browser-rare", ClassificationFixture.RareClassRequest());
        var scored = (await fixture.Client.GetFromJsonAsync<LstmService.Models.VersionResponse>($"/models/browser-rare/versions/{job.Version}", Api.Json))!.Metrics!.Classification!;
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync($"/#/models/browser-rare/versions/{job.Version}");
        await page.Locator("#confusion tbody tr[data-class='rare']").WaitForAsync(new() { Timeout = Timeout });
        var text = await page.Locator("#class-scores").TextContentAsync();
        if (scored.ClassesNotScored.Count > 0) Assert.EndsWith("Not scored (none in the validation part, none predicted): rare.", text);
        else Assert.DoesNotContain("Not scored", text);
    }

    [ChromiumFact]
    public async Task Uploads_a_csv_and_follows_the_job_to_success()
    {
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/");

        var csv = "date,sales\n" + string.Join("\n", Api.Sine(60).Select((v, i) =>
            $"{new DateOnly(2020, 1, 1).AddDays(i):yyyy-MM-dd},{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        await page.FillAsync("#upload-name", "browser-upload");
        await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "sales.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.FillAsync("#upload-form input[name=horizon]", "2");
        await page.FillAsync("#upload-form input[name=epochs]", "3");
        await page.FillAsync("#upload-form input[name=ensemble]", "1");
        await page.ClickAsync("#upload-form button");

        // The row appears from the 202 answer and follows the event stream to its end.
        var job = page.Locator("#jobs tbody tr", new() { HasText = "browser-upload" });
        await job.First.WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("#jobs tbody tr[data-status=succeeded]", new() { HasText = "browser-upload" })
            .WaitForAsync(new() { Timeout = 120_000 });
        Assert.Equal("v1", await job.First.Locator("td").Nth(5).TextContentAsync());
        // A succeeded job reloads the model list.
        await page.Locator("#models tbody tr[data-model='browser-upload']").WaitForAsync(new() { Timeout = Timeout });

        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Dates_the_forecast_axis_of_a_version_that_knows_its_frequency()
    {
        await fixture.Client.TrainAsync("browser-dated", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(80), start = "2015-01" } },
            frequency = "monthly",
            inputWindow = 12,
            horizon = 3,
            hiddenSize = 4,
            epochs = 2,
            ensemble = 1,
        });
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        var history = string.Join(",", Api.Sine(40).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
        await page.GotoAsync($"/#/models/browser-dated/versions/1?history={history}&start=2020-01");

        // 40 months from 2020-01 end in 2023-04: the forecast's three steps are May to July 2023, two steps apart on the
        // axis, so their labels are one range (printed apart, they had overlapped).
        var ticks = page.Locator("#forecast-chart text.tick");
        await ticks.First.WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(["2020-01", "2023-05–2023-07"], await ticks.AllTextContentsAsync()); // monthly: the months
        Assert.Contains("Sampled monthly", await page.Locator("#timing-hint").TextContentAsync()); // in words, not P1M
        Assert.Contains("sine ran 2015-01 to 2021-08", await page.Locator("#timing-hint").TextContentAsync());

        // Another link opened in the same tab is followed: the same history from 2021-01 ends in 2024-04.
        await page.EvaluateAsync($"location.hash = '#/models/browser-dated/versions/1?history={history}&start=2021-01'");
        var deadline = DateTime.UtcNow.AddMilliseconds(Timeout);
        while (await ticks.First.TextContentAsync() != "2021-01" && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(["2021-01", "2024-05–2024-07"], await ticks.AllTextContentsAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_csv_file_gives_the_column_of_the_versions_series_and_its_first_time()
    {
        // A version trained on two products: a file of both gives the first one's column, not the last, and its dates (a QA
        // pass had seen the gadgets read and the forecast numbered by step).
        await fixture.Client.TrainAsync("browser-products", new
        {
            series = new[] { new { id = "widgets", values = Api.Sine(60), start = "2018-01" }, new { id = "gadgets", values = Api.Sine(60), start = "2018-01" } },
            frequency = "monthly", inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, ensemble = 1,
        });
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/#/models/browser-products/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        var csv = "month,widgets,gadgets\n" + string.Join("\n", Enumerable.Range(0, 24).Select(i => $"{2021 + i / 12}-{i % 12 + 1:00},{10 + i},{500 + i}"));
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "products.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.WaitForFunctionAsync("() => document.getElementById('history').value !== ''");
        Assert.Equal(string.Join(", ", Enumerable.Range(10, 24)), await page.InputValueAsync("#history"));
        Assert.Equal("2021-01", await page.InputValueAsync("#history-start"));
        // Forecast under the column's series id, so that series' own weights and widths apply (it had always been "dashboard").
        var posted = page.WaitForRequestAsync(r => r.Url.Contains("/forecast", StringComparison.Ordinal) && r.Method == "POST");
        await page.ClickAsync("#forecast-form button");
        Assert.Equal("widgets", System.Text.Json.JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("series")[0].GetProperty("id").GetString());
        var ticks = page.Locator("#forecast-chart text.tick");
        await ticks.First.WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("2021-01", await ticks.First.TextContentAsync());

        // Dates a start does not take (31/01/2022) fill nothing, and the earlier file's start goes: it dated other values.
        var european = "date,widgets\n" + string.Join("\n", Enumerable.Range(0, 24).Select(i => $"01/{i % 12 + 1:00}/{2022 + i / 12},{40 + i}"));
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "european.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(european) });
        await page.WaitForFunctionAsync("() => document.getElementById('history').value.startsWith('40, ')");
        Assert.Equal("", await page.InputValueAsync("#history-start"));
        // A history typed over the file's names no series, nor does a link's: the pooled weights and no training series' dates.
        await page.FillAsync("#history", string.Join(", ", Enumerable.Range(0, 24)));
        posted = page.WaitForRequestAsync(r => r.Url.Contains("/forecast", StringComparison.Ordinal) && r.Method == "POST");
        await page.ClickAsync("#forecast-form button");
        Assert.False(System.Text.Json.JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("series")[0].TryGetProperty("id", out _));
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "products.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.WaitForFunctionAsync("() => document.getElementById('history').value.startsWith('10, ')");
        // The link forecasts its history itself, once it has read it.
        posted = page.WaitForRequestAsync(r => r.Url.Contains("/forecast", StringComparison.Ordinal) && r.Method == "POST");
        await page.GotoAsync("/#/models/browser-products/versions/1?history=" + string.Join(",", Enumerable.Range(0, 24)));
        Assert.False(System.Text.Json.JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("series")[0].TryGetProperty("id", out _));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task Reads_a_csv_file_as_the_server_does_and_names_what_is_not_a_number()
    {
        await fixture.Client.TrainAsync("browser-csv", Api.TinyTraining(epochs: 2));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/#/models/browser-csv/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        var values = Api.Sine(20).Select(v => Math.Round(v, 2)).ToArray();
        string Invariant(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Task Pick(string csv) =>
            page.SetInputFilesAsync("#history-file", new FilePayload { Name = "series.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        async Task<string> Read(string csv)
        {
            await page.FillAsync("#history", "");
            await Pick(csv);
            await page.WaitForFunctionAsync("() => document.getElementById('history').value !== ''");
            return await page.InputValueAsync("#history");
        }
        var expected = string.Join(", ", values.Select(Invariant));

        // A semicolon file with decimal commas (a European spreadsheet), a missing cell among them.
        var semicolon = "date;sales\n" + string.Join("\n", values.Select((v, i) => $"2020-{i + 1:00};{(i == 5 ? "" : Invariant(v).Replace('.', ','))}"));
        Assert.Equal(string.Join(", ", values.Select((v, i) => i == 5 ? "NaN" : Invariant(v))), await Read(semicolon));
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());

        // Excel's trailing empty column, and quoted thousands in a comma-separated file.
        Assert.Equal(expected, await Read("date,sales,\n" + string.Join("\n", values.Select((v, i) => $"2020-{i + 1:00},{Invariant(v)},"))));
        Assert.Equal("10701, 9000.5", await Read("date,sales\n2020-01,\"10,701.00\"\n2020-02,\"9,000.50\"\n"));

        // A cell that is not a number is an error naming its line; the History box keeps what it had.
        await Pick("date,sales\n2020-01,5\n2020-02,abc\n2020-03,7\n");
        await page.Locator("#error:has-text(\"line 3: 'abc' is not a number\")").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("10701, 9000.5", await page.InputValueAsync("#history"));
        // So is a decimal comma in a comma-separated file, where it could be a delimiter.
        await Pick("date,sales\n2020-01,\"103,86\"\n");
        await page.Locator("#error:has-text(\"line 2: '103,86' is not a number\")").WaitForAsync(new() { Timeout = Timeout });

        // A file with a row per id and time holds several series: the box takes one, so the error names the ids (the server
        // trains such a file as one series per id).
        await Pick("store,date,sales\nnorth,2020-01,5\nsouth,2020-01,6\nnorth,2020-02,7\nsouth,2020-02,8\n");
        await page.Locator("#error:has-text(\"column 1, 'store', holds 2 ids: north, south\")").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("10701, 9000.5", await page.InputValueAsync("#history"));
        // So are numeric ids under a header that names them (Walmart's Store).
        await Pick("date,Store,sales\n2020-01,1,5\n2020-01,2,6\n2020-02,1,7\n2020-02,2,8\n");
        await page.Locator("#error:has-text(\"column 2, 'Store', holds 2 ids: 1, 2\")").WaitForAsync(new() { Timeout = Timeout });
        // So are ids whose time column numbers the steps (Nixtla's unique_id,ds,y with ds = 1, 2, 3).
        await Pick("unique_id,ds,y\nH1,1,5\nH1,2,6\nH2,1,7\nH2,2,8\n");
        await page.Locator("#error:has-text(\"column 1, 'unique_id', holds 2 ids: H1, H2\")").WaitForAsync(new() { Timeout = Timeout });
        await Pick("unique_id,ds,y\nH3,1.0,5\nH3,2.0,6\nH4,1.0,7\nH4,2.0,8\n");
        await page.Locator("#error:has-text(\"column 1, 'unique_id', holds 2 ids: H3, H4\")").WaitForAsync(new() { Timeout = Timeout });
        // A column of weekday names beside dates that never repeat is no id column: its last column is read as before.
        Assert.Equal("5, 6, 7", await Read("date,weekday,sales\n2020-01-06,Mon,5\n2020-01-07,Tue,6\n2020-01-13,Mon,7\n"));

        // A typo in the History box is an error too, not a missing value.
        await page.FillAsync("#history", "1,2,abc,4");
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#error:has-text(\"'abc' (value 3)\")").WaitForAsync(new() { Timeout = Timeout });
        Assert.Empty(errors);
    }
}

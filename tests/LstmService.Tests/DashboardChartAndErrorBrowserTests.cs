using System.Globalization;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>
/// What a QA pass with a browser (2026-12-07) saw go wrong around the charts and the error bar: y labels cut at the chart's
/// left edge, charts left at the width they were drawn for, an old error left over the next version's title (or cleared by
/// a forecast that answered after it), and a cancelled job's bar drawn full.
/// </summary>
public sealed class DashboardChartAndErrorBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task Labels_of_large_values_fit_the_chart_which_redraws_at_a_new_width_and_an_old_error_goes_with_the_next_version()
    {
        await fixture.Client.TrainAsync("chart-large", Api.TinyTraining(epochs: 2));
        await fixture.Client.TrainAsync("chart-other", Api.TinyTraining(epochs: 2));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/#/models/chart-large/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });

        // Values in the millions, below zero too: "-1230000" had been cut by 5 px at the left edge.
        var history = Api.Sine(40).Select(v => (Math.Round(v * 1.23e6)).ToString(CultureInfo.InvariantCulture));
        await page.FillAsync("#history", string.Join(", ", history));
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });
        var leftmost = await page.EvalOnSelectorAllAsync<double>("#forecast-chart text", "ts => Math.min(...ts.map(t => t.getBBox().x))");
        Assert.True(leftmost >= 0, $"a label starts at x {leftmost}");

        // Narrowed after drawing, the chart is drawn again in as many units as it has pixels (its labels had shrunk to 4 px).
        await page.SetViewportSizeAsync(420, 900);
        await page.WaitForFunctionAsync(
            "() => { const svg = document.getElementById('forecast-chart'); return Math.abs(Number(svg.getAttribute('viewBox').split(' ')[2]) - svg.getBoundingClientRect().width) <= 1; }",
            null, new() { Timeout = Timeout });

        // An error, then another version opened: the error goes (it had stayed over the next version's title).
        await page.FillAsync("#history", "1, 2, abc");
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#error:has-text(\"'abc' (value 3)\")").WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("#models tbody tr[data-model='chart-other'] button.open").First.ClickAsync();
        await page.Locator("#version-title:has-text('chart-other')").WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("#error").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = Timeout });
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task An_error_shown_while_a_forecast_is_in_flight_stays_when_the_forecast_answers()
    {
        await fixture.Client.TrainAsync("chart-in-flight", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/chart-in-flight/versions/1");
        await page.Locator("#version-title").WaitForAsync(new() { Timeout = Timeout });
        // The forecast's answer is held until a bad file has been refused: its success had cleared the file's error.
        var release = new TaskCompletionSource();
        await page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/forecast\?"), async route => { await release.Task; await route.ContinueAsync(); });
        await page.FillAsync("#history", string.Join(", ", Api.Sine(30).Select(v => v.ToString(CultureInfo.InvariantCulture))));
        var answered = page.WaitForResponseAsync(r => r.Url.Contains("/forecast?", StringComparison.Ordinal), new() { Timeout = Timeout });
        await page.ClickAsync("#forecast-form button");
        await page.SetInputFilesAsync("#history-file", new FilePayload { Name = "short.csv", MimeType = "text/csv", Buffer = "a,b\n1,2\n3\n"u8.ToArray() });
        await page.Locator("#error:has-text('line 3 has 1 field')").WaitForAsync(new() { Timeout = Timeout });
        release.SetResult();
        Assert.True((await answered).Ok);
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });
        Assert.True(await page.Locator("#error:has-text('line 3 has 1 field')").IsVisibleAsync());

        // With no error meanwhile, a forecast's success still clears an earlier one.
        await page.UnrouteAllAsync();
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#error").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = Timeout });
    }

    [ChromiumFact]
    public async Task A_cancelled_jobs_bar_is_slate_without_a_filter_that_drew_it_full()
    {
        var running = await fixture.Client.SubmitAsync("chart-cancelled", Api.LongTraining());
        await fixture.Client.WaitForAsync(running.Id, j => j.Status == LstmService.Training.TrainingJobStatus.Running);
        await fixture.Client.PostAsync($"/training-jobs/{running.Id}/cancel", null);
        await fixture.Client.WaitForEndAsync(running.Id, timeoutSeconds: 60);
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/");
        var bar = page.Locator($"#jobs tr[data-job='{running.Id}'][data-status='cancelled'] progress");
        await bar.WaitForAsync(new() { Timeout = Timeout });
        // A light accent under grayscale(1) had drawn the track dark, so a bar at epoch 1 of 42 read as full.
        Assert.Equal("none", await bar.EvaluateAsync<string>("p => getComputedStyle(p).filter"));
        Assert.Equal("rgb(102, 112, 133)", await bar.EvaluateAsync<string>("p => getComputedStyle(p).accentColor"));
        Assert.True(await bar.EvaluateAsync<bool>("p => p.value < p.max"));
    }
}

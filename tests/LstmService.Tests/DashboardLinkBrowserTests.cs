using System.Net.Http.Json;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>The dashboard's links, its models list under overlapping reloads, and what switching versions leaves behind.</summary>
public sealed class DashboardLinkBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    private static string History => string.Join(",", Api.Sine(40).Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));

    [ChromiumFact]
    public async Task A_link_reads_its_parameters_in_any_order_and_stays_in_the_address_bar()
    {
        await fixture.Client.TrainAsync("link-sine", Api.TinyTraining(epochs: 2));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        // start before history, an extra parameter and a trailing slash: these had opened nothing, silently.
        var hash = $"#/models/link-sine/versions/1/?start=7&history=1e+0,{History}&horizon=5";
        await page.GotoAsync("/" + hash);
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("7", await page.InputValueAsync("#history-start"));
        Assert.StartsWith("1e+0,", await page.InputValueAsync("#history")); // '+' as written, not a space
        Assert.Equal(hash, await page.EvaluateAsync<string>("location.hash")); // copyable as it was opened
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_link_not_understood_says_so_and_the_jobs_are_still_listed()
    {
        await fixture.Client.TrainAsync("link-jobs", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/#/models/link-jobs/version/1");
        await page.Locator("#error:has-text('is not one the dashboard reads')").WaitForAsync(new() { Timeout = Timeout });
        await page.Locator("#jobs tbody tr[data-status='succeeded']").First.WaitForAsync(new() { Timeout = Timeout });

        // A version that does not exist: its error, and the jobs listed all the same (the error had skipped them).
        var other = await fixture.NewPageAsync([]);
        await other.GotoAsync("/#/models/link-jobs/versions/99");
        await other.Locator("#error:has-text('404')").WaitForAsync(new() { Timeout = Timeout });
        await other.Locator("#jobs tbody tr").First.WaitForAsync(new() { Timeout = Timeout });
    }

    [ChromiumFact]
    public async Task Opening_an_undated_version_clears_the_first_time_and_the_other_versions_chart()
    {
        await fixture.Client.TrainAsync("link-dated", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(80), start = "2015-01" } },
            frequency = "monthly", horizon = 3, inputWindow = 12, hiddenSize = 4, epochs = 2, ensemble = 1,
        });
        await fixture.Client.TrainAsync("link-undated", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync($"/#/models/link-dated/versions/1?history={History}&start=2020-01");
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });

        await page.Locator("#models tbody tr[data-model='link-undated']").First.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#version-title:has-text('link-undated')").WaitForAsync(new() { Timeout = Timeout });
        // The start had stayed in the disabled box and been sent: every forecast refused for want of a frequency.
        Assert.True(await page.Locator("#history-start").IsDisabledAsync());
        Assert.Equal("", await page.InputValueAsync("#history-start"));
        Assert.Equal(0, await page.Locator("#forecast-chart path").CountAsync());
        // The other version's history goes too (DashboardForecastFormBrowserTests): the same values, given again, forecast.
        await page.FillAsync("#history", History);
        await page.ClickAsync("#forecast-form button");
        await page.Locator("#forecast-chart path.mean").WaitForAsync(new() { Timeout = Timeout });
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
    }

    [ChromiumFact]
    public async Task Overlapping_reloads_of_the_models_list_show_each_version_once()
    {
        await fixture.Client.TrainAsync("link-once", Api.TinyTraining(epochs: 2));
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/");
        await page.Locator("#models tbody tr[data-model='link-once']").First.WaitForAsync(new() { Timeout = Timeout });
        // Three jobs finishing together each reload the list; their rows had been interleaved (a model listed three times).
        await page.EvaluateAsync("() => Promise.all([loadModels(), loadModels(), loadModels()])");
        var versions = 0;
        foreach (var model in await fixture.Client.GetFromJsonAsync<System.Text.Json.JsonElement[]>("/models", Api.Json) ?? [])
            versions += model.GetProperty("versions").GetInt32();
        Assert.Equal(versions, await page.Locator("#models tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator("#models tbody tr[data-model='link-once']").CountAsync());
    }

    [ChromiumFact]
    public async Task A_date_label_that_would_run_into_the_last_is_joined_to_it_as_a_range()
    {
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/");
        // 400 history steps and 7 forecast ones: the forecast's first date, six steps before its last, had printed over it.
        var labels = await page.EvaluateAsync<string[]>("""
            () => {
              const svg = document.getElementById('forecast-chart');
              const x = Array.from({ length: 407 }, (_, i) => i);
              draw(svg, [{ x, y: x.map(Math.sin), cls: 'history' }], null, 'steps',
                [{ x: 0, text: '2023-01-01' }, { x: 400, text: '2024-02-05' }, { x: 406, text: '2024-02-11' }]);
              return Array.from(svg.querySelectorAll('text.tick'), t => t.textContent);
            }
            """);
        Assert.Equal(["2023-01-01", "2024-02-05–2024-02-11"], labels);
        Assert.Equal(3, await page.Locator("#forecast-chart line.axis").CountAsync() - 2); // every tick's mark stays (beside the two axes)
    }
}

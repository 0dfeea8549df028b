using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>The browser fixture with a drift rule that judges every 3 values (9 scores at horizon 3), so a level shift flags within a few values.</summary>
public sealed class MonitoringBrowserFixture() : BrowserFixture(new Dictionary<string, string?> { ["Monitoring:DriftObservations"] = "3" });

/// <summary>The open version's Monitoring part: its streams, online accuracy, drift state and decisions, or one line without streams.</summary>
public sealed class DashboardMonitoringBrowserTests(MonitoringBrowserFixture fixture) : IClassFixture<MonitoringBrowserFixture>
{
    private const float Timeout = 60_000;

    /// <summary>A season of 12 around <paramref name="level"/> with noise, continuing from step <paramref name="from"/> (DriftTests' series).</summary>
    static float[] Seasonal(int from, int n, double level, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(from, n).Select(t => (float)(level + 10 * Math.Sin(2 * Math.PI * t / 12) + 2 * random.NextDouble())).ToArray();
    }

    Task<JsonElement> Monitoring(string model) => fixture.Client.GetFromJsonAsync<JsonElement>($"/models/{model}/versions/1/monitoring", Api.Json);

    /// <summary>Appends <paramref name="values"/> one at a time until the version's drift flag reads <paramref name="flagged"/>; fails if it never does.</summary>
    async Task FeedUntil(string model, string stream, float[] values, bool flagged)
    {
        foreach (var v in values)
        {
            var response = await fixture.Client.PostAsJsonAsync($"/streams/{stream}/observations", new { values = new[] { v } });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            if ((await Monitoring(model)).GetProperty("drift").GetProperty("flagged").GetBoolean() == flagged) return;
        }
        Assert.Fail($"The drift flag never read {flagged}: {await Monitoring(model)}");
    }

    [ChromiumFact]
    public async Task A_drifting_version_shows_its_streams_drift_and_decisions_newest_first_and_follows_a_clear()
    {
        // DriftTests' champion: a season around 50, on the series' own z-score, so values around 90 stay far from its forecasts.
        var history = Seasonal(0, 200, 50, 1);
        await fixture.Client.TrainAsync("monitored", new
        {
            seed = 5, series = new[] { new { id = "a", values = history } }, inputWindow = 12, horizon = 3, hiddenSize = 8, epochs = 20,
            batchSize = 16, ensemble = 1, scaling = "seriesZScore",
        });
        var opened = await fixture.Client.PostAsJsonAsync("/models/monitored/streams?version=1", new { seriesId = "a", history });
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var stream = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // Four values around 90: the rule's window of 9 scores fills at the fourth (1 + 2 + 3 + 3), and a shorter excursion
        // leaves the members' seasonal states off for longer than the values fed back below.
        foreach (var v in Seasonal(200, 4, 90, 2))
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsJsonAsync($"/streams/{stream}/observations", new { values = new[] { v } })).StatusCode);
        Assert.True((await Monitoring("monitored")).GetProperty("drift").GetProperty("flagged").GetBoolean());
        var drifting = await Monitoring("monitored");

        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/#/models/monitored/versions/1");
        await page.Locator("#monitoring-drift:has-text('Drifting since')").WaitForAsync(new() { Timeout = Timeout });
        Assert.Matches(@"^Drifting since .+ \(ratio [\d.]+ × backtest at the flag, factor 1\.5\)\.$", await page.Locator("#monitoring-drift").TextContentAsync());
        Assert.StartsWith("1 stream, ", await page.Locator("#monitoring-summary").TextContentAsync());
        Assert.Matches(@"^Online MASE [\d.]+ over the latest \d+ scored values vs backtest [\d.]+: ratio [\d.]+\.$",
            await page.Locator("#monitoring-accuracy").TextContentAsync());
        var flag = Assert.Single(drifting.GetProperty("decisions").EnumerateArray());
        var item = page.Locator("#monitoring-decisions li");
        Assert.Equal(1, await item.CountAsync());
        Assert.Equal("drift", await item.First.GetAttributeAsync("data-kind"));
        var text = await item.First.TextContentAsync();
        Assert.StartsWith("drift · episode 1 · ", text);
        Assert.EndsWith(": " + flag.GetProperty("summary").GetString(), text);

        // Back to the level it was trained on, the drift clears; the periodic refresh (every 5 s) shows it with the page left open.
        await FeedUntil("monitored", stream, Seasonal(240, 60, 50, 3), flagged: false);
        await page.Locator("#monitoring-drift:has-text('No drift (1 episode, last cleared')").WaitForAsync(new() { Timeout = Timeout });
        // The rule's own count of values beside the online MASE of the whole window, which a shift leaves high for long after.
        var words = await page.Locator("#monitoring-drift").TextContentAsync();
        // After the clear it reads only values scored since (none yet, or fewer than 3: it says how many; once 3, its ratio).
        Assert.Matches(@"\): the rule reads the latest 3 values, each at every step it was forecast at \(9 scores\); (\d scores? \(\d values?\) since the last decision|now [\d.]+ × backtest); factor 1\.5\.$", words);
        Assert.Equal(["cleared", "drift"], await item.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)"));
        Assert.StartsWith("cleared · episode 1 · ", await item.First.TextContentAsync());
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task A_version_without_streams_says_so_in_one_line_and_a_classifier_shows_no_monitoring()
    {
        await fixture.Client.TrainAsync("unmonitored", Api.TinyTraining(epochs: 2));
        await fixture.Client.TrainAsync("monitor-classes", ClassificationFixture.Request(LstmService.TestSupport.NottemWindows.Before1936.Take(60), epochs: 2));
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/#/models/unmonitored/versions/1");
        await page.Locator("#monitoring-summary:has-text('No streams on this version')").WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("POST /models/unmonitored/streams?version=1", await page.Locator("#monitoring-summary").TextContentAsync());
        foreach (var other in new[] { "#monitoring-accuracy", "#monitoring-drift", "#monitoring-more" })
            Assert.Equal("", await page.Locator(other).TextContentAsync());
        Assert.Equal(0, await page.Locator("#monitoring-decisions li").CountAsync());

        // A classifier answers 400 for monitoring: it is not asked (no failed request in the console), and the part is hidden.
        await page.Locator("#models tbody tr[data-model='monitor-classes']").First.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#confusion tbody tr").First.WaitForAsync(new() { Timeout = Timeout });
        Assert.True(await page.Locator("#monitoring").IsHiddenAsync());
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task The_documented_answer_lists_its_decisions_newest_first_and_counts_those_past_ten()
    {
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/"); // the load event comes after the deferred scripts have run
        // The OpenAPI example (two episodes, the first with a challenger that lost), drawn as the panel draws an answer.
        await page.EvaluateAsync("text => drawMonitoring(JSON.parse(text), 'sunspots', 1)", LstmService.Streams.StreamExamples.Monitoring);
        var kinds = page.Locator("#monitoring-decisions li");
        Assert.Equal(["cleared", "drift", "cleared", "challenge", "retrain", "drift"], await kinds.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)"));
        Assert.StartsWith("cleared · episode 2 · ", await kinds.First.TextContentAsync());
        Assert.StartsWith("No drift (2 episodes, last cleared ", await page.Locator("#monitoring-drift").TextContentAsync());
        Assert.Equal("2 streams, 2 anomalies flagged.", await page.Locator("#monitoring-summary").TextContentAsync());
        Assert.Equal("Online MASE 0.691 over the latest 557 scored values vs backtest 1.34: ratio 0.517.", await page.Locator("#monitoring-accuracy").TextContentAsync());
        Assert.Equal("", await page.Locator("#monitoring-more").TextContentAsync());

        // Twelve decisions: the newest ten listed, the other two counted.
        await page.EvaluateAsync("""
            text => {
              const m = JSON.parse(text);
              m.decisions = [...m.decisions, ...m.decisions].map((d, i) => ({ ...d, summary: `decision ${i + 1}` }));
              drawMonitoring(m, 'sunspots', 1);
            }
            """, LstmService.Streams.StreamExamples.Monitoring);
        Assert.Equal(10, await kinds.CountAsync());
        Assert.EndsWith(": decision 12", await kinds.First.TextContentAsync());
        Assert.StartsWith("2 earlier decisions not listed", await page.Locator("#monitoring-more").TextContentAsync());
        Assert.Empty(errors);
    }
}

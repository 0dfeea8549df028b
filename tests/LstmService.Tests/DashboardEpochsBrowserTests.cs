using System.Net.Http.Json;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// The version panel says how many epochs ran of those asked and why fewer: a QA pass (2026-12-07) had asked 500 epochs of
/// a long series, seen 12 run, and found nothing saying that a budget of network steps capped the fit.
/// </summary>
public sealed class DashboardEpochsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    async Task<string> Note(string model)
    {
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync($"/#/models/{model}/versions/1");
        await page.Locator("#epochs-note:not(:empty)").WaitForAsync(new() { Timeout = Timeout });
        return (await page.Locator("#epochs-note").TextContentAsync())!;
    }

    [ChromiumFact]
    public async Task A_fit_capped_by_its_step_budget_says_so_and_one_stopped_early_says_why()
    {
        // EpochCapTests' long series: 2,000 values through a window of 100, each epoch about 100,000 network steps.
        var capped = await fixture.Client.SubmitAsync("epochs-capped", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(2000) } }, inputWindow = 100, horizon = 2, hiddenSize = 4,
            ensemble = 1, epochs = 200, patience = 200, statistics = false,
        });
        var job = await fixture.Client.WaitForEndAsync(capped.Id);
        Assert.InRange(job.Epochs, 1, 199);
        var version = await fixture.Client.GetFromJsonAsync<JsonElement>("/models/epochs-capped/versions/1", Api.Json);
        int run = version.GetProperty("metrics").GetProperty("epochsRun").GetInt32(), best = version.GetProperty("metrics").GetProperty("bestEpoch").GetInt32();
        Assert.Equal(job.Epochs, run);
        Assert.Equal($"{run} of the 200 epochs asked ran: this series' fit is capped at {job.Epochs} epochs (a budget of network steps per fit, " +
            $"README: Training options). The weights of epoch {best} are kept.", await Note("epochs-capped"));

        // A short series with patience 1 stops as soon as the validation loss does not improve.
        await fixture.Client.TrainAsync("epochs-stopped", new
        {
            seed = 42, series = new[] { new { id = "sine", values = Api.Sine(80) } }, inputWindow = 12, horizon = 3, hiddenSize = 4,
            epochs = 300, patience = 1, batchSize = 16, ensemble = 1,
        });
        var stopped = await fixture.Client.GetFromJsonAsync<JsonElement>("/models/epochs-stopped/versions/1", Api.Json);
        run = stopped.GetProperty("metrics").GetProperty("epochsRun").GetInt32();
        best = stopped.GetProperty("metrics").GetProperty("bestEpoch").GetInt32();
        Assert.InRange(run, 1, 299);
        Assert.Equal($"{run} of the 300 epochs asked ran: early stopping ended the fit (no better validation loss for 1 epoch). " +
            $"The weights of epoch {best} are kept.", await Note("epochs-stopped"));

        // Too short to hold out a validation part (4 values, horizon 1): early stopping read the training loss, and the
        // note and legend had spoken of a validation loss the version does not have (a QA pass).
        await fixture.Client.TrainAsync("epochs-unvalidated", new
        {
            seed = 42, series = new[] { new { id = "short", values = Api.Sine(4) } }, inputWindow = 2, horizon = 1, hiddenSize = 4,
            epochs = 300, patience = 1, ensemble = 1,
        });
        var unvalidated = await fixture.Client.GetFromJsonAsync<JsonElement>("/models/epochs-unvalidated/versions/1", Api.Json);
        Assert.Equal(JsonValueKind.Null, unvalidated.GetProperty("metrics").GetProperty("loss").GetProperty("bestValidationLoss").ValueKind);
        run = unvalidated.GetProperty("metrics").GetProperty("epochsRun").GetInt32();
        best = unvalidated.GetProperty("metrics").GetProperty("bestEpoch").GetInt32();
        Assert.InRange(run, 1, 299);
        Assert.Equal($"{run} of the 300 epochs asked ran: early stopping ended the fit (no better training loss (the series is too short to hold out " +
            $"a validation part) for 1 epoch). The weights of epoch {best} are kept.", await Note("epochs-unvalidated"));
        var legend = await fixture.NewPageAsync([]);
        await legend.GotoAsync("/#/models/epochs-unvalidated/versions/1");
        await legend.Locator("#loss-chart path").First.WaitForAsync(new() { Timeout = Timeout });
        Assert.True(await legend.Locator("#loss-chart + .legend .validation").IsHiddenAsync());
        Assert.True(await legend.Locator("#loss-chart + .legend .train").IsVisibleAsync());

        // Every epoch asked.
        await fixture.Client.TrainAsync("epochs-all", Api.TinyTraining(epochs: 2));
        var all = await fixture.Client.GetFromJsonAsync<JsonElement>("/models/epochs-all/versions/1", Api.Json);
        Assert.Equal(2, all.GetProperty("metrics").GetProperty("epochsRun").GetInt32());
        Assert.Equal($"2 epochs ran, as asked. The weights of epoch {all.GetProperty("metrics").GetProperty("bestEpoch").GetInt32()} are kept.",
            await Note("epochs-all"));
    }
}

using System.Net;

namespace LstmService.Tests;

/// <summary>The dashboard with API keys on: the page itself is open, the API asks for a key, the page asks the user.</summary>
public sealed class DashboardKeyBrowserTests(KeyedBrowserFixture fixture) : IClassFixture<KeyedBrowserFixture>
{
    [Fact]
    public async Task The_page_and_its_files_need_no_key()
    {
        using var client = new HttpClient { BaseAddress = fixture.Address };
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var script in new[] { "csv.js", "charts.js", "tables.js", "app.js", "jobs.js", "monitoring.js" })
        {
            Assert.Contains($"/dashboard/{script}", html);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/dashboard/{script}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/style.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/nothing.js")).StatusCode);
        // The files' folder sends a browser to the page, which had answered 404.
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Address };
        foreach (var folder in new[] { "/dashboard", "/dashboard/" })
        {
            var redirect = await noRedirects.GetAsync(folder);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("/", redirect.Headers.Location?.OriginalString);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/models")).StatusCode);
    }

    [ChromiumFact]
    public async Task Asks_for_a_key_on_401_and_sends_it_on_every_call()
    {
        using (var writer = new HttpClient { BaseAddress = fixture.Address })
        {
            writer.DefaultRequestHeaders.Add("X-Api-Key", AuthFixture.WriteKey);
            await writer.TrainAsync("keyed-sine");
        }
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/");

        await page.Locator("#key-panel").WaitForAsync(new() { Timeout = 30_000 });
        await page.FillAsync("#key-input", AuthFixture.ReadKey);
        await page.ClickAsync("#key-submit");
        await page.Locator("#models tbody tr[data-model='keyed-sine']").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal(AuthFixture.ReadKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
        Assert.True(await page.Locator("#key-panel").IsHiddenAsync());
        // The open version's monitoring is read with the key too (a keyless read would answer 401 and reopen the panel).
        await page.Locator("#models tbody tr[data-model='keyed-sine']").GetByRole(Microsoft.Playwright.AriaRole.Button).ClickAsync();
        await page.Locator("#monitoring-summary:has-text('No streams on this version')").WaitForAsync(new() { Timeout = 30_000 });
        Assert.True(await page.Locator("#key-panel").IsHiddenAsync());
        // The browser reports the first, keyless answer as a failed load; nothing else may go wrong.
        Assert.DoesNotContain(errors, e => !e.Contains("401", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task Says_a_refused_key_was_refused_and_takes_another()
    {
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/");
        await page.Locator("#key-panel").WaitForAsync(new() { Timeout = 30_000 });
        await page.FillAsync("#key-input", "not-a-key");
        await page.ClickAsync("#key-submit");

        // Not "a key is needed" with "API key set for this tab" above it: the key was sent and refused.
        await page.Locator("#key-state:text-is('API key refused')").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("refused the API key", await page.Locator("#error").TextContentAsync());
        Assert.Contains("The API key sent is not valid", await page.Locator("#error").TextContentAsync());
        Assert.True(await page.Locator("#key-panel").IsVisibleAsync());
        Assert.Contains("refused", await page.Locator("#key-message").TextContentAsync());
        Assert.Equal("Replace key", (await page.Locator("#key-submit").TextContentAsync())!.Trim());

        await page.FillAsync("#key-input", AuthFixture.ReadKey);
        await page.ClickAsync("#key-submit");
        await page.Locator("#key-panel").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 30_000 });
        await page.Locator("#jobs tbody tr, #models-empty:visible, #models tbody tr").First.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("API key set for this tab", await page.Locator("#key-state").TextContentAsync());
        Assert.Equal(AuthFixture.ReadKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
        Assert.True(await page.Locator("#error").IsHiddenAsync(), await page.Locator("#error").TextContentAsync());
        Assert.DoesNotContain(errors, e => !e.Contains("401", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task A_read_key_asked_to_train_is_offered_to_be_replaced_and_can_be_changed_any_time()
    {
        var page = await fixture.NewPageAsync([]);
        await page.GotoAsync("/");
        await page.Locator("#key-panel").WaitForAsync(new() { Timeout = 30_000 });
        await page.FillAsync("#key-input", AuthFixture.ReadKey);
        await page.ClickAsync("#key-submit");
        await page.Locator("#key-panel").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 30_000 });
        Assert.True(await page.Locator("#change-key").IsVisibleAsync());

        // Training needs a write key: the 403 had left only closing the tab to change keys.
        await page.FillAsync("#upload-name", "keyed-upload");
        var csv = "date,value\n" + string.Join("\n", Api.Sine(40).Select((v, i) => $"2020-01-{i % 28 + 1:00},{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        await page.SetInputFilesAsync("#upload-file", new Microsoft.Playwright.FilePayload { Name = "s.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("#upload-form button");
        await page.Locator("#key-message:has-text(\"lacks the role\")").WaitForAsync(new() { Timeout = 30_000 });
        // The error line is filled as the upload's promise settles, which a check made at once could just miss.
        await page.Locator("#error:has-text(\"403\")").WaitForAsync(new() { Timeout = 5_000 });

        // The header's button asks for another key, keeping the current one until it is given; Cancel keeps it (the button
        // had dropped it at once).
        await page.FillAsync("#key-input", AuthFixture.WriteKey);
        await page.ClickAsync("#key-submit");
        await page.Locator("#key-panel").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 30_000 });
        Assert.Equal(AuthFixture.WriteKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
        await page.ClickAsync("#change-key");
        Assert.True(await page.Locator("#key-panel").IsVisibleAsync());
        Assert.Equal(AuthFixture.WriteKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
        await page.ClickAsync("#key-cancel");
        Assert.True(await page.Locator("#key-panel").IsHiddenAsync());
        Assert.Equal(AuthFixture.WriteKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
        await page.ClickAsync("#change-key");
        await page.FillAsync("#key-input", AuthFixture.ReadKey);
        await page.ClickAsync("#key-submit");
        await page.Locator("#key-panel").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 30_000 });
        Assert.Equal(AuthFixture.ReadKey, await page.EvaluateAsync<string>("sessionStorage.getItem('lstmservice.apiKey')"));
    }
}

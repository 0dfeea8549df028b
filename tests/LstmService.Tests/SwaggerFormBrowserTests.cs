using System.Text.Json;
using Microsoft.Playwright;

namespace LstmService.Tests;

/// <summary>
/// Swagger UI as a newcomer meets it, in a real headless Chromium: the CSV form of a training job starts empty but for the
/// file, and runs as pre-filled; the documents' examples are realistic answers.
/// </summary>
public sealed class SwaggerFormBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task A_key_an_earlier_version_kept_in_local_storage_is_removed()
    {
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        await page.GotoAsync("/swagger");
        await page.EvaluateAsync("() => localStorage.setItem('authorized', JSON.stringify({ ApiKey: { value: 'secret' } }))");
        await page.ReloadAsync();
        await page.Locator(".swagger-ui .info").WaitForAsync(new() { Timeout = Timeout });
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('authorized')"));
        Assert.Empty(errors);
    }

    [ChromiumFact]
    public async Task The_csv_form_starts_empty_and_runs_as_pre_filled()
    {
        var errors = new List<string>();
        var page = await fixture.NewPageAsync(errors);
        // Swagger UI warns of a schema it has no component for (a list of number/double items did): nothing may be missing.
        var missing = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Could not find component", StringComparison.Ordinal)) lock (missing) missing.Add(message.Text); };
        await page.GotoAsync("/swagger");

        var operation = page.Locator("#operations-Training-QueueTrainingJob");
        await operation.Locator(".opblock-summary").First.ClickAsync(new() { Timeout = Timeout });
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        Assert.Equal("my-model", await operation.Locator("tr[data-param-name='name'] input").InputValueAsync());
        await operation.Locator(".opblock-section-request-body select").SelectOptionAsync("multipart/form-data");
        await operation.Locator("tr[data-property-name='horizon']").WaitForAsync(new() { Timeout = Timeout });

        // Every optional field is empty: no 0, true or "string" that the form would send as the user's choice.
        var fields = operation.Locator("tr[data-property-name]");
        var names = new List<string>();
        for (var i = 0; i < await fields.CountAsync(); i++)
        {
            var row = fields.Nth(i);
            var name = (await row.GetAttributeAsync("data-property-name"))!;
            names.Add(name);
            var inputs = row.Locator("input:not([type=file]):not([type=checkbox]), select, textarea");
            for (var k = 0; k < await inputs.CountAsync(); k++)
                Assert.True(await inputs.Nth(k).InputValueAsync() is "" or "--", $"{name} is pre-filled with '{await inputs.Nth(k).InputValueAsync()}'");
        }
        Assert.Contains("horizon", names);
        Assert.Contains("peepholes", names);
        Assert.Contains("scaling", names);
        Assert.Contains("frequency", names);

        // With only the file chosen, Execute queues a job (202), which trains the demo's sunspots as my-model.
        await operation.Locator("tr[data-property-name='file'] input[type=file]").SetInputFilesAsync(Api.SunspotsCsvPath);
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        var status = operation.Locator(".live-responses-table tbody .response-col_status").First;
        await status.WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal("202", (await status.TextContentAsync())!.Trim());
        Assert.Empty(errors);
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Responses_carry_realistic_examples_and_the_name_parameter_the_demo_model()
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        JsonElement Operation(string path, string method) => document.GetProperty("paths").GetProperty(path).GetProperty(method);
        JsonElement Example(JsonElement operation, string status) =>
            operation.GetProperty("responses").GetProperty(status).GetProperty("content").EnumerateObject().First().Value.GetProperty("example");

        var forecast = Operation("/models/{name}/forecast", "post");
        var answer = Example(forecast, "200").GetProperty("forecasts")[0];
        Assert.Equal(10, answer.GetProperty("mean").GetArrayLength());
        Assert.Equal("2009-01-01T00:00:00+00:00", answer.GetProperty("timestamps")[0].GetString());
        Assert.Contains("series[0].history", Example(forecast, "400").GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var train = Operation("/models/{name}/training-jobs", "post");
        Assert.Equal("queued", Example(train, "202").GetProperty("status").GetString());
        Assert.Equal("succeeded", Example(Operation("/training-jobs/{id}", "get"), "200").GetProperty("status").GetString());
        var version = Example(Operation("/models/{name}/versions/{version}", "get"), "200");
        Assert.Equal("P1Y", version.GetProperty("timing").GetProperty("frequency").GetString());
        Assert.True(version.GetProperty("metrics").GetProperty("backtest").GetProperty("model").GetProperty("mase").GetDouble() > 0);
        Assert.Equal("sunspots", Example(Operation("/models", "get"), "200")[0].GetProperty("name").GetString());

        string? NameExample(string path, string method) =>
            Operation(path, method).GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "name").GetProperty("example").GetString();
        foreach (var (path, method) in new[] { ("/models/{name}/forecast", "post"), ("/models/{name}", "get"), ("/models/{name}/streams", "post") })
            Assert.Equal("sunspots", NameExample(path, method));
        // A pre-filled training job trains a model of its own: retraining the demo with the sine example (horizon 6) would
        // make the forecast example (horizon 10) answer 400.
        Assert.Equal("my-model", NameExample("/models/{name}/training-jobs", "post"));
        Assert.Equal("my-model", Example(train, "202").GetProperty("model").GetString());
        // A pre-filled delete must not delete the demo model.
        Assert.False(Operation("/models/{name}", "delete").GetProperty("parameters")[0].TryGetProperty("example", out _));

        // The CSV form: every optional field's example is empty (an empty list for lists), none is null or a type's sample.
        var form = train.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
        foreach (var field in form.EnumerateObject().Where(f => f.Name != "file"))
        {
            var example = field.Value.GetProperty("examples")[0];
            Assert.True(example.ValueKind == JsonValueKind.Array ? example.GetArrayLength() == 0 : example.GetString() == "", $"{field.Name}: {example}");
            if (field.Value.TryGetProperty("enum", out var values)) Assert.DoesNotContain(values.EnumerateArray(), v => v.ValueKind == JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task Every_operation_with_examples_runs_as_pre_filled_against_the_demo_model()
    {
        // The demo model as a first start trains it (the sunspots CSV, horizon 10, input window 31), only smaller and shorter.
        var queued = await fixture.Client.PostCsvAsync("sunspots", await File.ReadAllBytesAsync(Api.SunspotsCsvPath),
            ("horizon", "10"), ("inputWindow", "31"), ("hiddenSize", "4"), ("epochs", "2"), ("ensemble", "1"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, queued.StatusCode);
        var done = await fixture.Client.WaitForEndAsync((await queued.ReadAsync<Training.TrainingJobResponse>()).Id);
        Assert.True(done.Status == Training.TrainingJobStatus.Succeeded, done.Error);

        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var ran = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list) ? list.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").ToList() : [];
                // An id has no stable example (ids are random): its description says where to get one.
                foreach (var id in parameters.Where(p => p.GetProperty("name").GetString() == "id"))
                    Assert.Contains("`id` of the", id.GetProperty("description").GetString());
                if (parameters.Any(p => !p.TryGetProperty("example", out _))) continue; // writes on a name, ids, aliases
                var url = parameters.Aggregate(path.Name, (u, p) =>
                {
                    var example = p.GetProperty("example");
                    if (p.GetProperty("name").GetString() == "version") Assert.Equal(p.GetProperty("schema").GetProperty("type").GetString() == "integer" ? JsonValueKind.Number : JsonValueKind.String, example.ValueKind);
                    return u.Replace("{" + p.GetProperty("name").GetString() + "}", example.ValueKind == JsonValueKind.String ? example.GetString() : example.GetRawText(), StringComparison.Ordinal);
                });
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url);
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    if (!body.GetProperty("content").TryGetProperty("application/json", out var json) || !json.TryGetProperty("example", out var example)) continue;
                    request.Content = new StringContent(example.GetRawText(), System.Text.Encoding.UTF8, "application/json");
                }
                using var response = await fixture.Client.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"{operation.Name.ToUpperInvariant()} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                ran.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }

        Assert.Contains("POST /models/{name}/training-jobs", ran);
        Assert.Contains("POST /models/{name}/forecast", ran);
        Assert.Contains("POST /models/{name}/streams", ran);
        Assert.Contains("GET /models/{name}/versions/{version}", ran);
        Assert.Contains("GET /models/{name}/versions/{version}/weights", ran);
        Assert.Contains("GET /models/{name}/versions/{version}/monitoring", ran);
        Assert.Contains("POST /v2/models/{name}/versions/{version}/infer", ran);
        Assert.Contains("GET /v2/models/{name}/versions/{version}/ready", ran);
    }
}

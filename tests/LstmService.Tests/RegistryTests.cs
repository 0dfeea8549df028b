using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>The registry's contract on SQLite; <see cref="PostgresRegistryTests"/> runs every test again on PostgreSQL.</summary>
public partial class RegistryTests : ServiceFixture
{
    // Unavailable versions are checked again, and other replicas' deletes seen, every 100 ms instead of every 2 s.
    private static readonly Dictionary<string, string?> Settings = new() { ["Storage:SyncIntervalMilliseconds"] = "100" };

    public RegistryTests() : base(Settings)
    {
    }

    protected RegistryTests(string storage) : base(Settings, storage)
    {
    }

    private static readonly object History = new { series = new[] { new { history = Api.Sine(12) } } };

    private async Task<ForecastResponse> ForecastAsync(string model, string query = "", object? body = null)
    {
        var response = await Client.PostJsonAsync($"/models/{model}/forecast{query}", body ?? History);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ForecastResponse>();
    }

    private Task<HttpResponseMessage> PutAlias(string model, string alias, int version) =>
        Client.PutAsJsonAsync($"/models/{model}/aliases/{alias}", new { version }, Api.Json);

    [StorageFact]
    public async Task A_mistyped_model_name_is_answered_with_the_nearest_name_held()
    {
        // The suggestion reads names of about the typed one's length: SQL that both providers must run alike.
        var registry = Factory.Services.GetRequiredService<ModelRegistry>();
        foreach (var name in new[] { "weekly-sales", "weekly-sales-2", "daily" }) registry.EnsureModel(name);
        var problem = await (await Client.GetAsync("/models/weekly-sale")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("There is no model 'weekly-sale'. Did you mean 'weekly-sales'?", problem.GetProperty("detail").GetString());
        Assert.Equal("daily", registry.NearestModelName("Daily"));
        Assert.Null(registry.NearestModelName("hourly"));
    }

    [StorageFact]
    public async Task Aliases_can_be_set_used_moved_and_deleted()
    {
        await Client.TrainAsync("aliased", Api.TinyTraining(epochs: 2));
        await Client.TrainAsync("aliased", Api.TinyTraining(epochs: 4));

        var put = await PutAlias("aliased", "production", 1);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(1, (await put.ReadAsync<AliasResponse>()).Version);

        Assert.Equal(1, (await ForecastAsync("aliased", "?alias=production")).Version);
        Assert.Equal(2, (await ForecastAsync("aliased")).Version);
        Assert.Equal(1, (await ForecastAsync("aliased", "?version=1")).Version);

        var model = await Client.GetFromJsonAsync<ModelResponse>("/models/aliased", Api.Json);
        Assert.Equal(1, model!.Aliases["production"]);
        Assert.Equal(["production"], (await Client.GetFromJsonAsync<VersionResponse>("/models/aliased/versions/1", Api.Json))!.Aliases);

        // A version an alias points to can't be deleted.
        var conflict = await (await Client.DeleteAsync("/models/aliased/versions/1")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("production", conflict.GetProperty("detail").GetString());

        // Move the alias; then version 1 can go.
        Assert.Equal(HttpStatusCode.OK, (await PutAlias("aliased", "production", 2)).StatusCode);
        Assert.Equal(2, (await ForecastAsync("aliased", "?alias=production")).Version);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/aliased/versions/1")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/aliased/aliases/production")).StatusCode);
        await (await Client.PostJsonAsync("/models/aliased/forecast?alias=production", History)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAlias("aliased", "bad alias", 2)).StatusCode);
    }

    [StorageFact]
    public async Task An_all_digit_alias_is_refused_but_one_stored_before_the_rule_still_works()
    {
        await Client.TrainAsync("numbered", Api.TinyTraining(epochs: 2));

        // /v2/models/{name}/versions/2 reads "2" as a version number, so an alias "2" could never be reached there.
        foreach (var alias in new[] { "2", "007" })
        {
            var errors = await (await PutAlias("numbered", alias, 1)).ValidationErrorsAsync();
            Assert.Contains("version number", Assert.Single(errors, e => e.Key == "alias").Value.Single());
        }
        Assert.Empty((await Client.GetFromJsonAsync<ModelResponse>("/models/numbered", Api.Json))!.Aliases);
        Assert.Equal(HttpStatusCode.OK, (await PutAlias("numbered", "v2", 1)).StatusCode);

        // One stored before the rule (written past the endpoint, as an older release did) still resolves and can be deleted.
        Assert.NotNull(Factory.Services.GetRequiredService<ModelRegistry>().SetAlias("numbered", "2", 1));
        Assert.Equal(1, (await ForecastAsync("numbered", "?alias=2")).Version);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/numbered/aliases/2")).StatusCode);
    }

    [StorageFact]
    public async Task Weights_round_trip_through_binary_and_torch_formats()
    {
        // Two members, so the export is the merged ensemble, with the highway and calibration tensors of the default recipe.
        await Client.TrainAsync("original", new
        {
            series = new[] { new { values = Api.Sine(80) } },
            inputWindow = 12,
            horizon = 3,
            hiddenSize = 4,
            ensemble = 2,
            epochs = 3,
        });
        var version = await Client.GetFromJsonAsync<VersionResponse>("/models/original/versions/1", Api.Json);
        Assert.Equal((4, 2, 8), (version!.Architecture.HiddenSize, version.Architecture.EnsembleSize, version.Architecture.MergedHiddenSize));
        Assert.NotNull(version.Architecture.Highway);
        Assert.True(version.Architecture.Calibrated);

        var binary = await Client.GetAsync("/models/original/versions/1/weights");
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        Assert.Equal("application/octet-stream", binary.Content.Headers.ContentType?.MediaType);
        var bytes = await binary.Content.ReadAsByteArrayAsync();
        Assert.Equal(version.Weights.SizeBytes, bytes.Length);
        Assert.Equal(version.Weights.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal($"\"{version.Weights.Sha256}\"", binary.Headers.ETag?.Tag);
        Assert.Equal(bytes.Length, binary.Content.Headers.ContentLength);
        // Streamed from storage: from PostgreSQL a piece per query, here pieces of 1,000 bytes (every piece but the last whole).
        if (Factory.Services.GetRequiredService<IWeightsStore>() is DatabaseWeightsStore database) database.PieceBytes = 1000;
        Assert.Equal(bytes, await Client.GetByteArrayAsync("/models/original/versions/1/weights"));

        var torch = await Client.GetAsync("/models/original/versions/1/weights?format=torch");
        Assert.Equal(HttpStatusCode.OK, torch.StatusCode);
        Assert.Equal("application/json", torch.Content.Headers.ContentType?.MediaType);
        var stateDict = JsonDocument.Parse(await torch.Content.ReadAsStringAsync()).RootElement;
        Assert.True(stateDict.TryGetProperty("gru.weight_ih_l0", out var wih)); // the default cell
        Assert.Equal([3 * 8, 1], Shape(wih));
        Assert.Equal([3, 12], Shape(stateDict.GetProperty("highway.weight")));
        Assert.Equal([3, 3], Shape(stateDict.GetProperty("calibration")));

        var register = await Client.PostJsonAsync("/models/imported/versions", new
        {
            stateDict,
            inputWindow = version.InputWindow,
            horizon = version.Horizon,
            quantiles = version.Quantiles,
            scaling = version.Scaling,
            strategy = version.Architecture.Strategy,
        });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal("/models/imported/versions/1", register.Headers.Location?.OriginalString);
        var imported = await register.ReadAsync<VersionResponse>();
        Assert.Equal(LstmService.Registry.VersionSource.Imported, imported.Source);
        Assert.Null(imported.Training);
        // The same network: a state dict holds the merged ensemble (its "_forecast" settings say how many members were merged),
        // with the highway as its composed map over the same window and the same calibration.
        var (a1, a2) = (version.Architecture, imported.Architecture);
        Assert.Equal((a1.InputSize, a1.MergedHiddenSize, a1.Layers, a1.OutputSize, a1.Parameters, a1.Strategy, a1.Calibrated),
            (a2.InputSize, a2.MergedHiddenSize, a2.Layers, a2.OutputSize, a2.Parameters, a2.Strategy, a2.Calibrated));
        Assert.Equal((2, 4, 8), (a2.EnsembleSize, a2.HiddenSize, a2.MergedHiddenSize));
        Assert.True(a2.Highway!.Map);
        Assert.Equal(version.InputWindow, a2.Highway.Window);

        // Identical tensors: exporting the imported version gives back every tensor the original exported.
        var again = JsonDocument.Parse(await Client.GetStringAsync("/models/imported/versions/1/weights?format=torch")).RootElement;
        Assert.Equal(stateDict.EnumerateObject().Select(p => p.Name).Order(), again.EnumerateObject().Select(p => p.Name).Order());
        // ... and the same forecast settings (the non-tensor "_forecast" key).
        Assert.Equal(stateDict.GetProperty("_forecast").GetRawText(), again.GetProperty("_forecast").GetRawText());
        foreach (var tensor in stateDict.EnumerateObject().Where(p => !p.Name.StartsWith('_')))
        {
            Assert.Equal(Shape(tensor.Value), Shape(again.GetProperty(tensor.Name)));
            Assert.Equal(Data(tensor.Value), Data(again.GetProperty(tensor.Name)));
        }

        // Identical forecasts, mean and every quantile, for several series in one batch.
        var body = new { series = new[] { new { history = Api.Sine(30) }, new { history = Api.Sine(12, start: 3) } } };
        var a = await ForecastAsync("original", body: body);
        var b = await ForecastAsync("imported", body: body);
        Assert.Equal(a.Forecasts.Select(f => f.Mean), b.Forecasts.Select(f => f.Mean));
        foreach (var level in (string[])["0.1", "0.5", "0.9"])
            Assert.Equal(a.Forecasts.Select(f => f.Quantiles[level]), b.Forecasts.Select(f => f.Quantiles[level]));

        // The imported version stands on its own: deleting the original leaves it serving.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/original")).StatusCode);
        Assert.True(Factory.WeightsExist(imported.Weights.Sha256));
        var after = await ForecastAsync("imported", body: body);
        Assert.Equal(1, after.Version);
        Assert.Equal(a.Forecasts.Select(f => f.Mean), after.Forecasts.Select(f => f.Mean));
    }

    private static int[] Shape(JsonElement tensor) => tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static float[] Data(JsonElement tensor) => tensor.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();

    [StorageFact]
    public async Task A_bad_state_dict_is_rejected()
    {
        var errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = new { foo = 1 }, inputWindow = 4, horizon = 1 })).ValidationErrorsAsync();
        Assert.Equal(["stateDict"], errors.Keys);
        errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = new { } })).ValidationErrorsAsync();
        Assert.Equal(["horizon", "inputWindow"], errors.Keys.Order());

        // Shapes that don't match the forecast settings: a 1-output head can't serve horizon 3.
        var stateDict = JsonDocument.Parse("""
            {
              "lstm.weight_ih_l0": { "shape": [4, 1], "data": [0.5, 0.1, -0.2, 0.3] },
              "lstm.weight_hh_l0": { "shape": [4, 1], "data": [0.1, 0.0, 0.2, -0.1] },
              "lstm.bias_ih_l0": { "shape": [4], "data": [0.0, 1.0, 0.0, 0.0] },
              "lstm.bias_hh_l0": { "shape": [4], "data": [0.0, 0.0, 0.0, 0.0] },
              "head.weight": { "shape": [1, 1], "data": [1.0] },
              "head.bias": { "shape": [1], "data": [0.0] }
            }
            """).RootElement;
        // A head of one output cannot forecast the 3 steps asked for: the request's horizon is at fault.
        errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict, inputWindow = 8, horizon = 3 })).ValidationErrorsAsync();
        Assert.Equal(["horizon"], errors.Keys);
        await (await Client.GetAsync("/models/x")).ProblemAsync(HttpStatusCode.NotFound);

        // A key the model would not read is refused, not dropped: a third layer past a missing second, a bidirectional LSTM's
        // reverse tensors, a head of two layers; so are a classifier's export and an ensemble that cannot split the network.
        foreach (var (key, value, expected, field) in new[]
        {
            ("lstm.weight_ih_l2", "{\"shape\": [4, 1], \"data\": [0, 0, 0, 0]}", "State dict key 'lstm.weight_ih_l2' is not a tensor this model reads: a lstm of 1 layer(s)", "stateDict.lstm.weight_ih_l2"),
            ("lstm.weight_ih_l0_reverse", "{\"shape\": [4, 1], \"data\": [0, 0, 0, 0]}", "'lstm.weight_ih_l0_reverse' is not a tensor this model reads", "stateDict.lstm.weight_ih_l0_reverse"),
            ("head.0.weight", "{\"shape\": [1, 1], \"data\": [1]}", "'head.0.weight' is not a tensor this model reads", "stateDict.head.0.weight"),
            ("_forecast", "{\"inputWindow\": 8, \"horizon\": 1, \"ensemble\": 3}", "ensemble 3 does not divide the network's hidden size 1", "stateDict._forecast.ensemble"),
        })
        {
            var edited = System.Text.Json.Nodes.JsonNode.Parse(stateDict.GetRawText())!.AsObject();
            edited[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
            var bad = await Client.PostJsonAsync("/models/x/versions", new { stateDict = edited, inputWindow = 8, horizon = 1 });
            var message = Assert.Single((await bad.ValidationErrorsAsync())[field]);
            Assert.Contains(expected, message);
            Assert.DoesNotContain("(Parameter", message);
        }
        // The document's own settings are held to a training request's ranges before anything is sized from them: an
        // inputWindow of two billion took 55 s and 6.8 GB before its 400, a horizon of -1 was a 500; a misspelt one is named.
        foreach (var (setting, value, field) in new[]
        {
            ("inputWindow", "2000000000", "stateDict._forecast.inputWindow"), ("horizon", "-1", "stateDict._forecast.horizon"),
            ("ensemble", "0", "stateDict._forecast.ensemble"), ("quantiles", "[1.5]", "stateDict._forecast.quantiles"),
            ("horizn", "1", "stateDict._forecast.horizn"), ("scaling", "\"bogus\"", "stateDict._forecast.scaling"),
            ("horizon", "\"x\"", "stateDict._forecast.horizon"),
        })
        {
            var edited = System.Text.Json.Nodes.JsonNode.Parse(stateDict.GetRawText())!.AsObject();
            var settings = new System.Text.Json.Nodes.JsonObject { ["inputWindow"] = 8, ["horizon"] = 1 };
            settings[setting] = System.Text.Json.Nodes.JsonNode.Parse(value);
            edited["_forecast"] = settings;
            var refused = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = edited })).ValidationErrorsAsync();
            Assert.True(refused.ContainsKey(field), $"{setting}: {string.Join("; ", refused.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        }
        // A tensor's bad value is named under its data, a setting given beside the document that contradicts it under that setting.
        var nullBias = System.Text.Json.Nodes.JsonNode.Parse(stateDict.GetRawText())!.AsObject();
        nullBias["head.bias"]!["data"]![0] = null;
        errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = nullBias, inputWindow = 8, horizon = 1 })).ValidationErrorsAsync();
        Assert.Contains("value 0 is not a finite number", Assert.Single(errors["stateDict.head.bias.data"]));
        var withSettings = System.Text.Json.Nodes.JsonNode.Parse(stateDict.GetRawText())!.AsObject();
        withSettings["_forecast"] = new System.Text.Json.Nodes.JsonObject { ["inputWindow"] = 8, ["horizon"] = 1 };
        errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = withSettings, horizon = 2 })).ValidationErrorsAsync();
        Assert.Contains("disagrees with the document's _forecast.horizon 1", Assert.Single(errors["horizon"]));
        var classifier = System.Text.Json.Nodes.JsonNode.Parse(stateDict.GetRawText())!.AsObject();
        classifier["_classification"] = new System.Text.Json.Nodes.JsonObject { ["classes"] = new System.Text.Json.Nodes.JsonArray("a", "b") };
        errors = await (await Client.PostJsonAsync("/models/x/versions", new { stateDict = classifier, inputWindow = 8, horizon = 1 })).ValidationErrorsAsync();
        Assert.Contains("a classification version is trained", Assert.Single(errors["stateDict._classification"]));
        await (await Client.GetAsync("/models/x")).ProblemAsync(HttpStatusCode.NotFound);

        // The same tensors with a fitting horizon register fine (the OpenAPI example).
        var ok = await Client.PostJsonAsync("/models/x/versions", new { stateDict, inputWindow = 8, horizon = 1 });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/x/forecast", new { series = new[] { new { history = Api.Sine(8) } } })).StatusCode);
    }

    [StorageFact]
    public async Task Deleting_a_model_removes_versions_weights_and_cancels_its_jobs()
    {
        await Client.TrainAsync("doomed", Api.TinyTraining(epochs: 5));
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/doomed/versions/1", Api.Json))!.Weights.Sha256;
        var running = await Client.SubmitAsync("doomed", Api.LongTraining());
        await Client.WaitForAsync(running.Id, j => j.Status == TrainingJobStatus.Running);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/doomed")).StatusCode);
        await (await Client.GetAsync("/models/doomed")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(Factory.WeightsExist(sha));
        var cancelled = await Client.WaitForEndAsync(running.Id, 30);
        Assert.Equal(TrainingJobStatus.Cancelled, cancelled.Status);
        // It says why (it had ended cancelled with no error, as if someone had cancelled it), and the worker's end keeps it.
        Assert.Equal("Model 'doomed' was deleted (DELETE /models/doomed) before this job ended; it stored no version.", cancelled.Error);
        Assert.DoesNotContain(await Client.GetFromJsonAsync<ModelSummaryResponse[]>("/models", Api.Json) ?? [], m => m.Name == "doomed");

        // A new model of the same name goes on from the deleted one's numbers, so a client pinned to version 1 gets a 404, not another model.
        Assert.Equal(2, (await Client.TrainAsync("doomed")).Version);
    }

    [StorageFact]
    public async Task Version_numbers_are_not_reused_after_a_delete()
    {
        await Client.TrainAsync("numbers", Api.TinyTraining(epochs: 2));
        await Client.TrainAsync("numbers", Api.TinyTraining(epochs: 3));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/numbers/versions/2")).StatusCode);
        Assert.Equal(3, (await Client.TrainAsync("numbers")).Version);
        var model = await Client.GetFromJsonAsync<ModelResponse>("/models/numbers", Api.Json);
        Assert.Equal([1, 3], model!.Versions.Select(v => v.Version));
        Assert.Equal(3, model.LatestVersion);
    }

    [StorageFact]
    public async Task Forecasts_keep_working_while_a_new_version_is_trained()
    {
        await Client.TrainAsync("busy", Api.TinyTraining(epochs: 2));
        var job = await Client.SubmitAsync("busy", Api.LongTraining());
        await Client.WaitForAsync(job.Id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);

        // Training runs on its own thread: requests are served promptly meanwhile.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
            Assert.Equal(1, (await ForecastAsync("busy")).Version);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"20 forecasts took {watch.Elapsed}");
        Assert.Equal(TrainingJobStatus.Running, (await Client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{job.Id}", Api.Json))!.Status);

        await Client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
        Assert.Equal(TrainingJobStatus.Cancelled, (await Client.WaitForEndAsync(job.Id, 30)).Status);
    }

    [StorageFact]
    public async Task Every_write_is_seen_by_the_next_forecast()
    {
        // The forecast path keeps its lookups in memory (SQLite) or asks the database (PostgreSQL): either way a write is seen at once.
        await Client.TrainAsync("seen", Api.TinyTraining(epochs: 2));
        Assert.Equal(1, (await ForecastAsync("seen")).Version);
        await Client.TrainAsync("seen", Api.TinyTraining(epochs: 3));
        Assert.Equal(2, (await ForecastAsync("seen")).Version);

        Assert.Equal(HttpStatusCode.OK, (await PutAlias("seen", "live", 1)).StatusCode);
        Assert.Equal(1, (await ForecastAsync("seen", "?alias=live")).Version);
        Assert.Equal(HttpStatusCode.OK, (await PutAlias("seen", "live", 2)).StatusCode);
        Assert.Equal(2, (await ForecastAsync("seen", "?alias=live")).Version);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/seen/aliases/live")).StatusCode);
        await (await Client.PostJsonAsync("/models/seen/forecast?alias=live", History)).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(1, (await ForecastAsync("seen", "?version=1")).Version);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/seen/versions/1")).StatusCode);
        await (await Client.PostJsonAsync("/models/seen/forecast?version=1", History)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/seen/versions/2")).StatusCode);
        await (await Client.PostJsonAsync("/models/seen/forecast", History)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [StorageFact]
    public async Task A_model_whose_registered_versions_were_deleted_says_so()
    {
        await Client.TrainAsync("exporter");
        var stateDict = JsonDocument.Parse(await Client.GetStringAsync("/models/exporter/versions/1/weights?format=torch")).RootElement;
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/models/registered/versions", new { stateDict })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/registered/versions/1")).StatusCode);
        var problem = await (await Client.PostJsonAsync("/models/registered/forecast", History)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("its versions were deleted", problem.GetProperty("detail").GetString());
    }

    private async Task<VersionResponse> WaitForVersionAsync(string model, int number, Func<VersionResponse, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var version = (await Client.GetFromJsonAsync<VersionResponse>($"/models/{model}/versions/{number}", Api.Json))!;
            if (done(version) || DateTime.UtcNow > deadline) return version;
            await Task.Delay(50);
        }
    }
}

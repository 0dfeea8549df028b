using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Xunit.Abstractions;

namespace LstmService.Tests;

/// <summary>Warm-start training (initFrom): the lineage on SQLite, and again on PostgreSQL in <see cref="PostgresWarmStartLineageTests"/>.</summary>
public class WarmStartLineageTests : ServiceFixture
{
    public WarmStartLineageTests() : base(settings: null)
    {
    }

    protected WarmStartLineageTests(string storage) : base(settings: null, storage)
    {
    }

    /// <summary>The parent: two members of 8 units on a sine, the network alone (no classical members, no highway), no refit.</summary>
    internal static object Parent(int start = 0) => new
    {
        series = new[] { new { id = "sine", values = Api.Sine(300, start) } },
        inputWindow = 12, horizon = 3, hiddenSize = 8, ensemble = 2, epochs = 30, patience = 30,
        statistics = false, highway = false, refit = false, seed = 5,
    };

    internal static async Task<ForecastResponse> ForecastAsync(HttpClient client, int version)
    {
        var response = await client.PostJsonAsync($"/models/sine/forecast?version={version}", new { series = new[] { new { history = Api.Sine(24, 7) } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ForecastResponse>();
    }

    internal static Task<VersionResponse?> VersionAsync(HttpClient client, int version) => client.GetFromJsonAsync<VersionResponse>($"/models/sine/versions/{version}", Api.Json);

    [StorageFact]
    public async Task A_warm_start_continues_from_the_parents_weights_and_records_its_lineage()
    {
        await Client.TrainAsync("sine", Parent());
        // A learning rate of almost nothing for one epoch: the network stays the parent's, so its forecast does too.
        await Client.TrainAsync("sine", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(300) } },
            initFrom = new { version = 1 }, epochs = 1, learningRate = 1e-9,
        });
        var parent = await ForecastAsync(Client, 1);
        var child = await ForecastAsync(Client, 2);
        Assert.Equal(2, child.Version);
        for (var t = 0; t < 3; t++) Assert.Equal(parent.Forecasts[0].Mean[t], child.Forecasts[0].Mean[t], 2e-3);

        var v2 = (await VersionAsync(Client, 2))!;
        Assert.Equal(1, v2.ParentVersion);
        Assert.Equal(1, v2.Training!.ParentVersion);
        // Inherited from the parent: the architecture and the recipe the request left out.
        Assert.Equal((12, 3, 8, 2), (v2.InputWindow, v2.Horizon, v2.Architecture.HiddenSize, v2.Architecture.EnsembleSize));
        Assert.Equal((false, false, false, 30, 5UL), (v2.Training.Statistics, v2.Training.Highway, v2.Training.Refit, v2.Training.Patience, v2.Training.Seed));
        Assert.Equal((1, 1e-9f), (v2.Training.Epochs, v2.Training.LearningRate));
        var v1 = (await VersionAsync(Client, 1))!;
        Assert.Null(v1.ParentVersion);
        Assert.Null(v1.Training!.ParentVersion);

        // Lineage is stored with the version: it survives a restart on the same storage.
        await Factory.StopHostAsync();
        var restarted = new LstmServiceFactory(Factory.DataDirectory, storage: Factory.Storage, connectionString: Factory.ConnectionString);
        await using (restarted)
        {
            var again = await restarted.CreateClient().GetFromJsonAsync<VersionResponse>("/models/sine/versions/2", Api.Json);
            Assert.Equal(1, again!.ParentVersion);
        }
    }
}

public sealed class PostgresWarmStartLineageTests() : WarmStartLineageTests("postgres"), IRunsOnPostgres;

/// <summary>Warm starts against a cold start, their defaults, their errors and the CSV form.</summary>
public sealed class WarmStartTests(ITestOutputHelper output) : ServiceFixture
{
    private static object Parent() => WarmStartLineageTests.Parent();

    private Task<VersionResponse?> VersionAsync(int version) => WarmStartLineageTests.VersionAsync(Client, version);

    [Fact]
    public async Task A_warm_starts_first_epoch_is_far_ahead_of_a_cold_starts_and_its_epochs_default_to_20()
    {
        await Client.TrainAsync("sine", Parent());
        // New data of the same process (later in time); the warm job leaves epochs out.
        var next = new[] { new { id = "sine", values = Api.Sine(300, 40) } };
        var warm = await Client.TrainAsync("sine", new { series = next, initFrom = new { version = 1 } });
        var coldRequest = new
        {
            series = next, inputWindow = 12, horizon = 3, hiddenSize = 8, ensemble = 2, epochs = 1,
            statistics = false, highway = false, refit = false, seed = 5,
        };
        var cold = await Client.TrainAsync("sine", coldRequest);
        var warmFirst = warm.LossCurve!.Validation[0]!.Value;
        var coldFirst = cold.LossCurve!.Validation[0]!.Value;
        output.WriteLine($"first-epoch validation loss: warm {warmFirst:G4}, cold {coldFirst:G4}");
        Assert.True(warmFirst < 0.5 * coldFirst, $"warm {warmFirst:G4} vs cold {coldFirst:G4}");

        var v2 = (await VersionAsync(2))!;
        Assert.Equal(WarmStart.DefaultEpochs, v2.Training!.Epochs);
        Assert.Equal(WarmStart.DefaultEpochs, warm.Epochs);
        Assert.Equal(1, v2.ParentVersion);
        Assert.Null((await VersionAsync(3))!.ParentVersion);
    }

    [Fact]
    public async Task Bad_warm_starts_are_400s_naming_the_field_and_store_nothing()
    {
        await Client.TrainAsync("sine");
        var series = new[] { new { id = "sine", values = Api.Sine(80) } };
        (object Body, string Field, string Message)[] cases =
        [
            (new { series, initFrom = new { version = 7 } }, "initFrom.version", "Model 'sine' has no version 7"),
            (new { series, initFrom = new { } }, "initFrom.version", "Required"),
            (new { series, initFrom = new { version = 0 } }, "initFrom.version", "Must be a version number, a whole number from 1"),
            (new { series, initFrom = new { version = 1 }, hiddenSize = 16 }, "initFrom.version", "hiddenSize 16 (version 1 has 4)"),
            (new { series, initFrom = new { version = 1 }, horizon = 5, quantiles = new[] { 0.5 } }, "initFrom.version", "horizon 5 (version 1 has 3)"),
            (new { series, initFrom = new { version = 1 }, quantiles = new[] { 0.5 } }, "initFrom.version", "quantiles [0.5] (version 1 has [0.1, 0.5, 0.9])"),
            (new { series = new[] { new { id = "sine", values = Api.Sine(80), covariates = new Dictionary<string, double[]> { ["price"] = Api.Sine(80) } } }, initFrom = new { version = 1 } },
                "initFrom.version", "covariates [price] (version 1 reads [])"),
            (new { series, initFrom = new { version = 1 }, search = true }, "search", "keeps the parent's architecture"),
            // The parent has one layer, which dropout acts nowhere in (it had been accepted in silence).
            (new { series, initFrom = new { version = 1 }, dropout = 0.5 }, "dropout", "this network has one (layers 1, kept from the parent version)"),
            (new { series = new[] { new { id = "a", values = Api.Sine(40), label = "up" }, new { id = "b", values = Api.Sine(40, 6), label = "down" } },
                initFrom = new { version = 1 }, task = "classification" }, "initFrom.version", "a classifier trains from scratch"),
        ];
        foreach (var (body, field, message) in cases)
        {
            var errors = await (await Client.PostJsonAsync("/models/sine/training-jobs", body)).ValidationErrorsAsync();
            Assert.True(errors.ContainsKey(field), $"{field} not in {string.Join(", ", errors.Keys)}");
            Assert.Contains(message, string.Join(" ", errors[field]));
        }
        // A version registered with a window of one value (a state_dict may say so) is no start for training, which needs two.
        await Client.TrainAsync("narrow", Parent());
        var export = System.Text.Json.Nodes.JsonNode.Parse(await Client.GetStringAsync("/models/narrow/versions/1/weights?format=torch"))!;
        export["_forecast"]!["inputWindow"] = 1;
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/models/narrow/versions", new { stateDict = export })).StatusCode);
        var narrow = await (await Client.PostJsonAsync("/models/narrow/training-jobs", new { series, initFrom = new { version = 2 } })).ValidationErrorsAsync();
        Assert.Contains("training needs a window of at least 2", narrow["initFrom.version"][0]);
        // An ensemble fine-tuned outside the service (a weight joining its two members) forecasts as one network, but is no
        // start for a warm start, which continues each member: refused at submit, where the job had failed once queued.
        var joined = System.Text.Json.Nodes.JsonNode.Parse(await Client.GetStringAsync("/models/narrow/versions/1/weights?format=torch"))!;
        var recurrent = joined["gru.weight_hh_l0"]!;
        Assert.Equal([48, 16], recurrent["shape"]!.AsArray().Select(d => d!.GetValue<int>())); // two members of 8 units, 3 gates
        Assert.Equal(0, recurrent["data"]![15]!.GetValue<double>()); // row 0 (member 0), column 15 (member 1's unit)
        recurrent["data"]![15] = 0.01;
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/models/narrow/versions", new { stateDict = joined })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/narrow/forecast?version=3", new { series = new[] { new { history = Api.Sine(24) } } })).StatusCode);
        var split = await (await Client.PostJsonAsync("/models/narrow/training-jobs", new { series, initFrom = new { version = 3 } })).ValidationErrorsAsync();
        Assert.Contains("is not the 2 separate members its ensembleSize says", split["initFrom.version"][0]);

        var typo = await (await Client.PostJsonAsync("/models/sine/training-jobs", new { series, initFrom = new { version = 1, alias = "x" } })).ValidationErrorsAsync();
        Assert.Contains(typo.Keys, k => k.StartsWith("initFrom", StringComparison.Ordinal));
        var otherModel = await (await Client.PostJsonAsync("/models/other/training-jobs", new { series, initFrom = new { version = 1 } })).ValidationErrorsAsync();
        Assert.Contains("Model 'other' has no version 1", otherModel["initFrom.version"][0]);

        // The CSV form takes initFrom as JSON text, through the same checks.
        var csv = "t,sine\n" + string.Join("\n", Api.Sine(80).Select((v, i) => $"{i},{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        var form = await (await Client.PostCsvAsync("sine", csv, ("initFrom", """{"version": 1}"""), ("layers", "2"))).ValidationErrorsAsync();
        Assert.Contains("layers 2 (version 1 has 1)", form["initFrom.version"][0]);

        var jobs = await Client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=sine", Api.Json);
        Assert.Single(jobs!);
        Assert.Single((await Client.GetFromJsonAsync<ModelResponse>("/models/sine", Api.Json))!.Versions);
        Assert.Empty((await Client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=other", Api.Json))!);
    }

    [Fact]
    public async Task A_parent_deleted_while_the_job_waits_fails_the_job_naming_the_field()
    {
        await Client.TrainAsync("sine");
        // The one worker is busy with another model's long job, so the warm start waits in the queue.
        var busy = await Client.SubmitAsync("other", Api.LongTraining());
        await Client.WaitForAsync(busy.Id, j => j.Status == TrainingJobStatus.Running);
        var warm = await Client.SubmitAsync("sine", new { series = new[] { new { id = "sine", values = Api.Sine(80) } }, initFrom = new { version = 1 } });
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/sine/versions/1")).StatusCode);
        await Client.PostAsync($"/training-jobs/{busy.Id}/cancel", null);

        var done = await Client.WaitForEndAsync(warm.Id);
        Assert.Equal(TrainingJobStatus.Failed, done.Status);
        Assert.Equal("initFrom.version: Version 1 of model 'sine' no longer exists: nothing to start from.", done.Error);
        Assert.Empty((await Client.GetFromJsonAsync<ModelResponse>("/models/sine", Api.Json))!.Versions);
    }

    [Fact]
    public async Task A_csv_warm_start_runs_and_records_its_parent()
    {
        await Client.TrainAsync("sine");
        var csv = "t,sine\n" + string.Join("\n", Api.Sine(80, 5).Select((v, i) => $"{i},{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        var response = await Client.PostCsvAsync("sine", csv, ("initFrom", """{"version": 1}"""), ("epochs", "2"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await Client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.Equal(TrainingJobStatus.Succeeded, done.Status);
        Assert.Equal(1, (await VersionAsync(2))!.ParentVersion);
    }
}


using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LstmService.Tests;

public sealed class RestartTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private LstmServiceFactory Start(int workers) =>
        new(_directory, new Dictionary<string, string?> { ["TrainingQueue:Workers"] = workers.ToString() });

    [Fact]
    public async Task Versions_and_queued_jobs_survive_a_restart()
    {
        TrainingJobResponse first;
        await using (var factory = Start(workers: 1))
            first = await factory.CreateClient().TrainAsync("persist");

        Guid queuedId;
        await using (var factory = Start(workers: 0))
        {
            var client = factory.CreateClient();
            var model = await client.GetFromJsonAsync<ModelResponse>("/models/persist", Api.Json);
            Assert.Equal([1], model!.Versions.Select(v => v.Version));
            var forecast = await client.PostJsonAsync("/models/persist/forecast", new { series = new[] { new { history = Api.Sine(12) } } });
            Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
            queuedId = (await client.SubmitAsync("persist", Api.TinyTraining())).Id;
        }

        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            var job = await client.WaitForEndAsync(queuedId);
            Assert.Equal(TrainingJobStatus.Succeeded, job.Status);
            Assert.Equal(2, job.Version);
            var original = await client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{first.Id}", Api.Json);
            Assert.Equal(1, original!.Version);
        }
    }

    [Fact]
    public async Task A_queued_job_runs_after_a_restart_with_the_settings_it_was_given()
    {
        Guid id;
        await using (var factory = Start(workers: 0))
        {
            id = (await factory.CreateClient().SubmitAsync("settings", new
            {
                series = new[] { new { values = Api.Sine(120), covariates = new Dictionary<string, double[]> { ["phase"] = Api.Sine(120, start: 3) } } },
                futureCovariates = new[] { "phase" },
                horizon = 3,
                hiddenSize = 4,
                ensemble = 2,
                epochs = 3,
                seasonLength = 12,
                highway = false,
                refit = false,
                calibrate = false,
            })).Id;
        }

        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            var job = await client.WaitForEndAsync(id);
            Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
            var version = await client.GetFromJsonAsync<VersionResponse>($"/models/settings/versions/{job.Version}", Api.Json);
            var training = version!.Training!;
            Assert.Equal((0, 12, 2, false, false, false), (training.InputWindow, training.SeasonLength, training.Ensemble, training.Highway, training.Refit, training.Calibrate));
            Assert.Equal(["phase"], training.FutureCovariates);
            var architecture = version.Architecture;
            Assert.Equal((4, 2, 12), (architecture.HiddenSize, architecture.EnsembleSize, architecture.SeasonLength));
            Assert.Null(architecture.Highway);
            // Asked not to calibrate, but 120 values silence the network, whose quantile heads are then never run: the
            // intervals are calibrated regardless (their only source).
            Assert.Equal(0f, version.Architecture.Statistics!.NetworkScale);
            Assert.True(architecture.Calibrated);
            Assert.Equal(["phase"], architecture.FutureCovariates);
        }
    }

    [Fact]
    public async Task Jobs_and_versions_stored_before_the_forecasting_options_existed_still_load()
    {
        Guid id;
        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            await client.TrainAsync("old", Api.TinyTraining(epochs: 2));
            id = (await client.SubmitAsync("old", Api.TinyTraining(epochs: 2))).Id;
            await client.WaitForEndAsync(id);
        }

        // Rewrite the rows as the service stored them before: no ensemble, highway, season, strategy, covariates, loss curve or search.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "registry.db")};Pooling=False"))
        {
            connection.Open();
            string Read(string sql) => (string)new SqliteCommand(sql, connection).ExecuteScalar()!;
            void Write(string sql, string value)
            {
                using var command = new SqliteCommand(sql, connection);
                command.Parameters.AddWithValue("$v", value);
                Assert.Equal(1, command.ExecuteNonQuery());
            }
            var request = JsonNode.Parse(Read($"SELECT request FROM jobs WHERE id = '{id}'"))!.AsObject();
            var settings = request["settings"]!.AsObject();
            foreach (var key in (string[])["seasonLength", "ensemble", "highway", "refit", "calibrate", "search", "strategy", "futureCovariates"])
                Assert.True(settings.Remove(key), key);
            settings["inputWindow"] = 12;
            foreach (var series in request["series"]!.AsArray()) series!.AsObject().Remove("covariates");
            Write($"UPDATE jobs SET request = $v, status = 'queued', version = NULL WHERE id = '{id}'", request.ToJsonString());

            var architecture = JsonNode.Parse(Read("SELECT architecture FROM versions WHERE model = 'old' AND version = 1"))!.AsObject();
            foreach (var key in (string[])["ensembleSize", "mergedHiddenSize", "strategy", "seasonLength", "highway", "calibrated", "covariates", "futureCovariates"])
                Assert.True(architecture.Remove(key), key);
            Write("UPDATE versions SET architecture = $v WHERE model = 'old' AND version = 1", architecture.ToJsonString());
            var metrics = JsonNode.Parse(Read("SELECT metrics FROM versions WHERE model = 'old' AND version = 1"))!.AsObject();
            Assert.True(metrics.Remove("lossCurve"));
            metrics.Remove("search");
            Write("UPDATE versions SET metrics = $v WHERE model = 'old' AND version = 1", metrics.ToJsonString());
        }

        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            var old = await client.GetFromJsonAsync<VersionResponse>("/models/old/versions/1", Api.Json);
            Assert.Equal((4, 1, 4), (old!.Architecture.HiddenSize, old.Architecture.EnsembleSize, old.Architecture.MergedHiddenSize));
            Assert.Equal(ForecastStrategy.Direct, old.Architecture.Strategy);
            Assert.Empty(old.Architecture.Covariates);
            Assert.Null(old.Metrics!.LossCurve);

            // The old job runs again with the settings it had, and today's defaults for what it could not say.
            var job = await client.WaitForEndAsync(id);
            Assert.True(job.Status == TrainingJobStatus.Succeeded, $"Job ended {job.Status}: {job.Error}");
            var version = await client.GetFromJsonAsync<VersionResponse>($"/models/old/versions/{job.Version}", Api.Json);
            var defaults = new TrainingOptions();
            Assert.Equal((12, 4, 2), (version!.Training!.InputWindow, version.Training.HiddenSize, version.Training.Epochs));
            Assert.Equal((defaults.Ensemble, defaults.Highway, defaults.Strategy), (version.Training.Ensemble, version.Training.Highway, version.Training.Strategy));
            Assert.Equal(defaults.Ensemble, version.Architecture.EnsembleSize);
        }
    }

    [Fact]
    public async Task A_job_running_at_shutdown_is_requeued_and_runs_after_restart()
    {
        Guid id;
        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            id = (await client.SubmitAsync("interrupted", Api.LongTraining())).Id;
            await client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);
        } // graceful shutdown: training is cancelled and the job goes back to queued

        await using (var factory = Start(workers: 0))
        {
            var job = await factory.CreateClient().GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json);
            Assert.Equal(TrainingJobStatus.Queued, job!.Status);
            Assert.Equal(0, job.Epoch);
            Assert.Null(job.StartedAt);
            Assert.Equal(0, job.Attempts); // a graceful shutdown does not use up an attempt (TrainingQueue:MaxAttempts)
        }

        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            Assert.Equal(1, (await client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running)).Attempts);
            // Leave no long job behind: cancel it.
            await client.PostAsync($"/training-jobs/{id}/cancel", null);
            Assert.Equal(TrainingJobStatus.Cancelled, (await client.WaitForEndAsync(id, 30)).Status);
        }
    }

    [Fact]
    public async Task Stopping_with_a_running_job_cancels_it_promptly_within_the_shutdown_timeout()
    {
        Guid id;
        TimeSpan stopped;
        var factory = new LstmServiceFactory(_directory, new Dictionary<string, string?> { ["Shutdown:TimeoutSeconds"] = "20" });
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(20), factory.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            var client = factory.CreateClient();
            id = (await client.SubmitAsync("long", Api.LongTraining())).Id; // minutes unless cancelled
            await client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);
        }
        finally
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await factory.DisposeAsync(); // stops the host as SIGTERM would
            stopped = watch.Elapsed;
        }
        // Training checks for cancellation every few batches, so the host stops well within the timeout ...
        Assert.True(stopped < TimeSpan.FromSeconds(10), $"The host took {stopped.TotalSeconds:F1} s to stop (timeout 20 s)."); // half the timeout: a loaded machine took 5.4 s

        // ... and the job was cancelled and put back to queued (not left running), so it runs again after a restart.
        await using var restarted = Start(workers: 0);
        var job = await restarted.CreateClient().GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json);
        Assert.Equal(TrainingJobStatus.Queued, job!.Status);
    }

    [Fact]
    public async Task An_open_event_stream_ends_at_shutdown_instead_of_holding_it()
    {
        TimeSpan stopped;
        Task<string> reading;
        var factory = new LstmServiceFactory(_directory, new Dictionary<string, string?> { ["Shutdown:TimeoutSeconds"] = "20" });
        try
        {
            var client = factory.CreateClient();
            var id = (await client.SubmitAsync("watched", Api.LongTraining())).Id;
            await client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);
            var response = await client.GetAsync($"/training-jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync();
            var reader = new StreamReader(stream);
            Assert.StartsWith("event: progress", await reader.ReadLineAsync());
            reading = reader.ReadToEndAsync(); // open until the job ends, the client goes, or the host stops
        }
        finally
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await factory.DisposeAsync(); // stops the host as SIGTERM would, the events client still reading
            stopped = watch.Elapsed;
        }
        Assert.True(stopped < TimeSpan.FromSeconds(10), $"The host took {stopped.TotalSeconds:F1} s to stop (timeout 20 s)."); // half the timeout: a loaded machine took 5.4 s
        // The stream ended (closed by the service, or aborted with the host) rather than waiting for the job.
        var ended = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.Same(reading, ended);
        var rest = await reading.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "");
        Assert.DoesNotContain("event: end", rest);
        // Its last event says the service is stopping (a stream that merely broke had looked the same), with a delay to reconnect after.
        Assert.Contains("event: stopping", rest);
        Assert.Contains("retry: 5000", rest);
    }

    [Fact]
    public async Task A_version_with_a_missing_or_altered_weights_file_is_unavailable_not_fatal()
    {
        string altered, missing, stream;
        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            // Different seeds: three different weights files (identical weights would share one file).
            await client.TrainAsync("damaged", Api.TinyTraining(epochs: 2, seed: 1));
            await client.TrainAsync("damaged", Api.TinyTraining(epochs: 3, seed: 2));
            await client.TrainAsync("damaged", Api.TinyTraining(epochs: 4, seed: 3));
            altered = (await client.GetFromJsonAsync<VersionResponse>("/models/damaged/versions/2", Api.Json))!.Weights.Sha256;
            missing = (await client.GetFromJsonAsync<VersionResponse>("/models/damaged/versions/3", Api.Json))!.Weights.Sha256;
            Assert.Equal(3, new[] { altered, missing, (await client.GetFromJsonAsync<VersionResponse>("/models/damaged/versions/1", Api.Json))!.Weights.Sha256 }.Distinct().Count());
            var opened = await client.PostJsonAsync("/models/damaged/streams?version=2", new { seriesId = "s", history = Api.Sine(12) });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            stream = (await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        var alteredPath = Path.Combine(_directory, "weights", altered + ".lstm");
        var bytes = await File.ReadAllBytesAsync(alteredPath);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(alteredPath, bytes);
        File.Delete(Path.Combine(_directory, "weights", missing + ".lstm"));

        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            var model = await client.GetFromJsonAsync<ModelResponse>("/models/damaged", Api.Json);
            Assert.Equal([true, false, false], model!.Versions.Select(v => v.Available));

            var v2 = await client.GetFromJsonAsync<VersionResponse>("/models/damaged/versions/2", Api.Json);
            Assert.False(v2!.Available);
            Assert.Contains("altered", v2.UnavailableReason);
            // An operator sees them without asking each version (the shipped LstmVersionsUnavailable alert reads this).
            Assert.Equal(2, await UnavailableGaugeAsync(client));

            var history = new { series = new[] { new { history = Api.Sine(12) } } };
            var problem = await (await client.PostJsonAsync("/models/damaged/forecast?version=3", history)).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("missing", problem.GetProperty("detail").GetString());
            await (await client.PostJsonAsync("/models/damaged/forecast?version=2", history)).ProblemAsync(HttpStatusCode.Conflict);
            await (await client.GetAsync("/models/damaged/versions/2/weights")).ProblemAsync(HttpStatusCode.Conflict);
            // A stream on the altered version cannot forecast, but its state needs no weights: it is still exported, without
            // the network's derived states (it had been a 409 too, leaving the stream's values nowhere to go).
            await (await client.PostJsonAsync($"/streams/{stream}/observations", new { values = new[] { 1.0 } })).ProblemAsync(HttpStatusCode.Conflict);
            var state = await client.GetFromJsonAsync<JsonElement>($"/streams/{stream}/state", Api.Json);
            Assert.Equal(JsonValueKind.Null, state.GetProperty("network").ValueKind);
            Assert.Equal(12, state.GetProperty("series").GetProperty("length").GetInt32());
            Assert.Equal(12, state.GetProperty("recent").GetArrayLength());

            // Without a version, the newest available one serves.
            var fallback = await client.PostJsonAsync("/models/damaged/forecast", history);
            Assert.Equal(HttpStatusCode.OK, fallback.StatusCode);
            Assert.Equal(1, (await fallback.ReadAsync<ForecastResponse>()).Version);

            // The broken versions can be deleted; training goes on with the next number.
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/models/damaged/versions/3")).StatusCode);
            Assert.Equal(1, await UnavailableGaugeAsync(client));
            var next = await client.TrainAsync("damaged");
            Assert.Equal(4, next.Version);
        }
    }

    private static async Task<double> UnavailableGaugeAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync("/metrics")).Single(m => m.Name == "lstm_model_versions_unavailable").Value;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LstmService.Tests;

public sealed class TrainingAndForecastTests(ITestOutputHelper output) : ServiceFixture
{
    [Fact]
    public async Task Sine_wave_trains_and_forecasts_its_continuation()
    {
        const double amplitude = 5;
        var response = await Client.PostJsonAsync("/models/sine/training-jobs", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(200, amplitude: amplitude) } },
            inputWindow = 24,
            horizon = 6,
            hiddenSize = 16,
            epochs = 60,
            seed = 7,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<TrainingJobResponse>();
        Assert.Equal($"/training-jobs/{queued.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("sine", queued.Model);
        Assert.Equal(60, queued.Epochs);

        var job = await Client.WaitForEndAsync(queued.Id);
        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);
        Assert.Equal(1, job.Version);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.FinishedAt);
        Assert.NotNull(job.TrainLoss);
        Assert.NotNull(job.LossCurve);
        Assert.Equal(job.Epoch, job.LossCurve!.Train.Count);
        // The job list leaves the curve out rather than saying null, which reads as "no curve" (a QA pass).
        var listed = (await Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/training-jobs?model=sine")).EnumerateArray().Single();
        Assert.False(listed.TryGetProperty("lossCurve", out _));

        var forecast = await Client.PostJsonAsync("/models/sine/forecast", new { series = new[] { new { id = "sine", history = Api.Sine(200, amplitude: amplitude) } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
        var result = await forecast.ReadAsync<ForecastResponse>();
        Assert.Equal(("sine", 1, 6), (result.Model, result.Version, result.Horizon));
        var f = Assert.Single(result.Forecasts);
        Assert.Equal("sine", f.Id);
        var truth = Api.Sine(6, start: 200, amplitude: amplitude);
        var rmse = Math.Sqrt(f.Mean.Select((m, i) => (m - truth[i]) * (m - truth[i])).Average());
        output.WriteLine($"Forecast RMSE {rmse:F4} (amplitude {amplitude}) after {job.Epoch} epochs");
        Assert.True(rmse < 0.1 * amplitude, $"RMSE {rmse:F3} vs amplitude {amplitude}");
        Assert.Equal(["0.1", "0.5", "0.9"], f.Quantiles.Keys.Order());
        for (var t = 0; t < 6; t++)
            Assert.True(f.Quantiles["0.1"][t] <= f.Quantiles["0.9"][t]);

        var version = await Client.GetFromJsonAsync<VersionResponse>("/models/sine/versions/1", Api.Json);
        Assert.NotNull(version);
        Assert.Equal(job.Id, version.JobId);
        Assert.True(version.Available);
        Assert.Equal((24, 6), (version.InputWindow, version.Horizon));

        // The architecture as it is: 16 units per member as requested, the default ensemble merged into one wider network,
        // the highway, the detected season and the calibrated quantiles.
        var defaults = new TrainingOptions();
        var architecture = version.Architecture;
        Assert.Equal(16, architecture.HiddenSize);
        Assert.Equal(defaults.Ensemble, architecture.EnsembleSize);
        Assert.True(architecture.EnsembleSize > 1);
        Assert.Equal(16 * architecture.EnsembleSize, architecture.MergedHiddenSize);
        Assert.Equal((1, 1, 6 * 4), (architecture.InputSize, architecture.Layers, architecture.OutputSize));
        Assert.Equal(ForecastStrategy.Direct, architecture.Strategy);
        Assert.Equal(12, architecture.SeasonLength);
        Assert.NotNull(architecture.Highway);
        Assert.NotEmpty(architecture.Highway!.Orders);
        Assert.Equal(architecture.Highway.Orders.Max(), architecture.Highway.Window);
        Assert.True(architecture.Highway.Window <= 24);
        Assert.True(architecture.Calibrated);
        Assert.Empty(architecture.Covariates);
        // ... which is the network the weights hold: the merged GRU's (the default cell) recurrent matrix is [3 × merged, merged].
        Assert.Equal(LstmService.Kernels.RecurrentCell.Gru, architecture.Cell);
        var stateDict = JsonDocument.Parse(await Client.GetStringAsync("/models/sine/versions/1/weights?format=torch")).RootElement;
        Assert.Equal([3 * architecture.MergedHiddenSize, architecture.MergedHiddenSize],
            stateDict.GetProperty("gru.weight_hh_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([6, 24], stateDict.GetProperty("highway.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));

        // The resolved settings: the request's, and the kernel's defaults for the rest.
        Assert.Equal(60, version.Training!.Epochs);
        Assert.Equal(7UL, version.Training.Seed);
        Assert.Equal((24, 16, defaults.Ensemble, defaults.SeasonLength), (version.Training.InputWindow, version.Training.HiddenSize, version.Training.Ensemble, version.Training.SeasonLength));
        Assert.Equal((defaults.Highway, defaults.Refit, defaults.Calibrate, defaults.Search, defaults.Strategy),
            (version.Training.Highway, version.Training.Refit, version.Training.Calibrate, version.Training.Search, version.Training.Strategy));

        // Backtest of the validation part: the model next to the naive and seasonal-naive forecasts, and interval coverage.
        var backtest = version.Metrics!.Backtest!;
        Assert.Equal(12, backtest.SeasonLength);
        Assert.True(backtest.Model.Points > 0);
        Assert.Equal(backtest.Model.Points, backtest.Naive.Points);
        Assert.Equal(backtest.Model.Points, backtest.SeasonalNaive.Points);
        Assert.True(backtest.Model.Rmse < backtest.Naive.Rmse, $"model RMSE {backtest.Model.Rmse} vs naive {backtest.Naive.Rmse}");
        Assert.NotNull(backtest.SeasonalNaive.Rmse);
        Assert.NotNull(backtest.Model.Mase);
        Assert.NotNull(backtest.IntervalCoverage["0.1-0.9"]);
        Assert.NotNull(version.Metrics.Loss.FinalTrainLoss);
        Assert.Equal(200, version.Metrics.Points);
        Assert.Equal(0, version.Metrics.MissingValues);
        Assert.Null(version.Metrics.Search);
        Assert.Equal(version.Metrics.EpochsRun, version.Metrics.LossCurve!.Train.Count);
        Assert.Equal(job.LossCurve.Train, version.Metrics.LossCurve.Train);

        // The JSON clients read names these fields as documented.
        var json = JsonDocument.Parse(await Client.GetStringAsync("/models/sine/versions/1")).RootElement;
        Assert.Equal(16 * architecture.EnsembleSize, json.GetProperty("architecture").GetProperty("mergedHiddenSize").GetInt32());
        Assert.Equal("direct", json.GetProperty("architecture").GetProperty("strategy").GetString());
        Assert.Equal("direct", json.GetProperty("training").GetProperty("strategy").GetString());
        foreach (var baseline in (string[])["model", "naive", "seasonalNaive"])
            Assert.Equal(JsonValueKind.Number, json.GetProperty("metrics").GetProperty("backtest").GetProperty(baseline).GetProperty("rmse").ValueKind);
        Assert.False(json.GetProperty("metrics").GetProperty("backtest").TryGetProperty("note", out _)); // said only when nothing was scored
        Assert.Matches("^[0-9a-f]{64}$", version.DataFingerprint);
        Assert.True(File.Exists(Path.Combine(Factory.DataDirectory, "weights", version.Weights.Sha256 + ".lstm")));
        Assert.Equal(new FileInfo(Path.Combine(Factory.DataDirectory, "weights", version.Weights.Sha256 + ".lstm")).Length, version.Weights.SizeBytes);

        var models = await Client.GetFromJsonAsync<ModelSummaryResponse[]>("/models", Api.Json);
        Assert.Contains(models!, m => m is { Name: "sine", Versions: 1, LatestVersion: 1, DefaultVersion: 1 });
        var succeeded = await Client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=sine&status=succeeded", Api.Json);
        Assert.Contains(succeeded!, j => j.Id == job.Id);
        var failed = await Client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=sine&status=failed", Api.Json);
        Assert.Empty(failed!);
    }

    [Fact]
    public async Task A_version_without_backtest_points_says_why()
    {
        // 30 values and a horizon of 20: no validation part is held out, so nothing is scored; the metrics had all been null, unexplained.
        var values = Enumerable.Range(0, 30).Select(t => 10 + 5 * Math.Sin(t / 2.0) + 0.3 * t).ToArray();
        var response = await Client.PostJsonAsync("/models/short-backtest/training-jobs", new { series = new[] { new { id = "a", values } }, horizon = 20, epochs = 3 });
        var job = await Client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);

        var backtest = JsonDocument.Parse(await Client.GetStringAsync("/models/short-backtest/versions/1")).RootElement.GetProperty("metrics").GetProperty("backtest");
        Assert.Equal(0, backtest.GetProperty("model").GetProperty("points").GetInt32());
        Assert.Contains("needs 62 values or more", backtest.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Forecast_runs_many_series_in_one_request_and_echoes_ids()
    {
        await Client.TrainAsync("batch");
        var response = await Client.PostJsonAsync("/models/batch/forecast", new
        {
            series = new object[]
            {
                new { id = "a", history = Api.Sine(40) },
                new { history = Api.Sine(12, start: 5) },
                new { id = "gappy", history = Api.Sine(30).Select((v, i) => i % 5 == 0 ? (double?)null : v).ToArray() },
            },
            horizon = 2,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync<ForecastResponse>();
        Assert.Equal(2, result.Horizon);
        Assert.Equal(["a", "1", "gappy"], result.Forecasts.Select(f => f.Id));
        Assert.All(result.Forecasts, f => Assert.Equal(2, f.Mean.Length));
    }

    [Fact]
    public async Task Events_stream_progress_then_end()
    {
        var job = await Client.SubmitAsync("events", Api.TinyTraining(epochs: 15));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/training-jobs/{job.Id}/events");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = new List<(string Event, TrainingJobResponse Data)>();
        var ids = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add((name!, JsonSerializer.Deserialize<TrainingJobResponse>(line["data: ".Length..], Api.Json)!));
            else if (line.StartsWith("id: ", StringComparison.Ordinal)) ids.Add(line["id: ".Length..]);
        }
        // Every event has its own id: attempt, status, epoch and, once started, the run's start.
        Assert.Equal(events.Count, ids.Distinct().Count());
        var end = events[^1].Data;
        Assert.Equal($"{end.Attempts}-succeeded-{end.Epoch}-{end.StartedAt!.Value.ToUnixTimeMilliseconds()}", ids[^1]);

        Assert.NotEmpty(events);
        Assert.Equal("end", events[^1].Event);
        Assert.Equal(TrainingJobStatus.Succeeded, events[^1].Data.Status);
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Event));
        Assert.Single(events, e => e.Event == "end");
        // Events arrive in order: epochs never go backwards.
        var epochs = events.Select(e => e.Data.Epoch).ToList();
        Assert.Equal(epochs.Order(), epochs);

        // A finished job's stream is just the end event.
        var again = await Client.GetStringAsync($"/training-jobs/{job.Id}/events");
        Assert.StartsWith("event: end", again);
    }

    [Fact]
    public async Task Events_carry_ids_and_a_reconnection_with_the_last_one_starts_at_the_next_change()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("ids", Api.TinyTraining());
        var path = $"/training-jobs/{job.Id}/events";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The queued job's one event, with its id.
        using (var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            using var reader = new StreamReader(await first.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Equal("event: progress", await reader.ReadLineAsync(timeout.Token));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(timeout.Token));
            Assert.Equal("id: 0-queued-0", await reader.ReadLineAsync(timeout.Token));
        }

        // Reconnected with that id, the stream sends nothing until the job changes, then its end.
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.Add("Last-Event-ID", "0-queued-0");
        using var second = await client.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var rest = second.Content.ReadAsStringAsync(timeout.Token);
        // Past the stream's one-second poll: a repeated state would have been sent by now, and the text below would show it.
        await Task.Delay(1500, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/training-jobs/{job.Id}/cancel", null, timeout.Token)).StatusCode);
        var text = await rest;
        Assert.StartsWith("event: end", text);
        Assert.DoesNotContain("event: progress", text);
        Assert.Contains("id: 0-cancelled-0", text);

        // An id that names no state it has (an older one) gets the job as it is.
        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.Add("Last-Event-ID", "0-queued-0");
        Assert.StartsWith("event: end", await (await client.SendAsync(stale, timeout.Token)).Content.ReadAsStringAsync(timeout.Token));
        // One that names the end is told there is no more (a 204 stops EventSource, which reconnects after every close).
        using var done = new HttpRequestMessage(HttpMethod.Get, path);
        done.Headers.Add("Last-Event-ID", "0-cancelled-0");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(done, timeout.Token)).StatusCode);
    }

    [Fact]
    public async Task A_version_that_a_waiting_job_may_make_names_that_job()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        var client = factory.CreateClient();
        var first = await client.SubmitAsync("later", Api.TinyTraining());
        var second = await client.SubmitAsync("later", Api.TinyTraining());
        async Task<string> Detail(int version) =>
            (await (await client.GetAsync($"/models/later/versions/{version}")).ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString()!;

        // Each waiting job may make the next number in its turn (version 1 had answered only "has no version 1").
        Assert.Equal($"Model 'later' has no version 1 yet: its training job {first.Id} is queued; GET /training-jobs/{first.Id} follows it.", await Detail(1));
        Assert.Contains($"its training job {second.Id} is queued", await Detail(2));
        Assert.Equal("Model 'later' has no version 3.", await Detail(3));
    }

    [Fact]
    public async Task Progress_streams_beyond_the_limit_answer_503_and_a_closed_one_frees_its_place()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["TrainingQueue:Workers"] = "0", // the job stays queued, so its stream stays open
            ["TrainingQueue:MaxEventStreams"] = "1",
        });
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("streams", Api.TinyTraining());
        var path = $"/training-jobs/{job.Id}/events";

        var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refused = await client.GetAsync(path);
        var problem = await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("TrainingQueue:MaxEventStreams", problem.GetProperty("detail").GetString());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        // Counted apart, so the 5xx alert leaves the limit's 503s out.
        Assert.Equal(1, PrometheusText.Parse(await client.GetStringAsync("/metrics")).Single(m => m.Name == "lstm_event_streams_refused_total").Value);

        first.Dispose(); // the client goes: its place is free once the server has ended that response
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpResponseMessage next;
        while ((next = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead)).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The closed stream's place was never freed.");
            next.Dispose();
            await Task.Delay(100);
        }
        next.Dispose();
    }

    [Fact]
    public async Task A_failing_job_ends_failed_and_the_worker_goes_on()
    {
        await using var factory = new LstmServiceFactory(services: s => s.AddSingleton<ITrainer>(new FailsOnce()));
        var client = factory.CreateClient();
        var bad = await client.SubmitAsync("fails", Api.TinyTraining());
        var failed = await client.WaitForEndAsync(bad.Id);
        Assert.Equal(TrainingJobStatus.Failed, failed.Status);
        Assert.Equal("Simulated training failure.", failed.Error);
        Assert.Null(failed.Version);

        var next = await client.TrainAsync("fails");
        Assert.Equal(1, next.Version);
    }

    /// <summary>Throws on the first job, then trains with the kernel.</summary>
    private sealed class FailsOnce : ITrainer
    {
        private int _calls;

        public TrainingResult Train(IReadOnlyList<TrainingSeries> series, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("Simulated training failure.")
                : ForecastTrainer.Train(series, options, progress, cancellationToken);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Data.Sqlite;

namespace LstmService.Tests;

/// <summary>
/// The service as an operator runs it, a process of its own (<see cref="ServiceProcess"/>): killed with SIGKILL in the middle
/// of a job and of registrations, stopped with SIGTERM while a job prepares its data and a client follows its events, and
/// watched for its peak memory while it trains on 100,000 points.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class ProcessLifecycleTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private Task<ServiceProcess> StartAsync(int workers, int maxAttempts = 3, int shutdownSeconds = 25, int drainSeconds = 0) =>
        ServiceProcess.StartAsync(_directory, new Dictionary<string, string>
        {
            ["TrainingQueue:Workers"] = workers.ToString(),
            ["TrainingQueue:MaxAttempts"] = maxAttempts.ToString(),
            ["Shutdown:TimeoutSeconds"] = shutdownSeconds.ToString(),
            ["Shutdown:DrainSeconds"] = drainSeconds.ToString(),
        });

    private void AssertDatabaseIntact()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "registry.db")};Pooling=False");
        connection.Open();
        using var command = new SqliteCommand("PRAGMA integrity_check", connection);
        Assert.Equal("ok", command.ExecuteScalar());
    }

    private static Task<TrainingJobResponse> JobAsync(HttpClient client, Guid id) =>
        client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json)!;

    private static async Task AssertForecastsAsync(HttpClient client, string model, int? version = null, int history = 24)
    {
        var response = await client.PostJsonAsync($"/models/{model}/forecast{(version is null ? "" : $"?version={version}")}",
            new { series = new[] { new { history = Api.Sine(history) } } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A job that prepares its data for seconds before its first epoch (100,000 points).</summary>
    private static object LargeTraining(double validationFraction = 0.2) => new
    {
        series = new[] { new { id = "large", values = Api.Sine(100_000) } },
        horizon = 12,
        inputWindow = 48,
        hiddenSize = 16,
        epochs = 1,
        ensemble = 1,
        validationFraction,
    };

    [Fact]
    public async Task Kill_9_during_a_training_job_loses_nothing_and_the_job_is_queued_again()
    {
        Guid running;
        await using (var service = await StartAsync(workers: 1))
        {
            await service.Client.TrainAsync("kept");
            running = (await service.Client.SubmitAsync("long", Api.LongTraining())).Id;
            await service.Client.WaitForAsync(running, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);
            await service.KillAsync();
        }
        AssertDatabaseIntact();

        await using (var service = await StartAsync(workers: 0))
        {
            var model = await service.Client.GetFromJsonAsync<ModelResponse>("/models/kept", Api.Json);
            Assert.Equal([1], model!.Versions.Select(v => v.Version));
            await AssertForecastsAsync(service.Client, "kept");
            var job = await JobAsync(service.Client, running);
            Assert.Equal(TrainingJobStatus.Queued, job.Status); // re-queued at start, with the crashed run counted
            Assert.Equal(1, job.Attempts);
            Assert.Null(job.Version);
            var unfinished = await service.Client.GetFromJsonAsync<ModelResponse>("/models/long", Api.Json);
            Assert.Empty(unfinished!.Versions); // no half-written version
        }
    }

    [Fact]
    public async Task Kill_9_during_registrations_leaves_every_answered_version_whole_and_numbers_unused()
    {
        var registered = new List<int>();
        await using (var service = await StartAsync(workers: 0))
        {
            using var stop = new CancellationTokenSource();
            async Task RegisterLoopAsync()
            {
                while (!stop.IsCancellationRequested)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = await service.Client.PostAsync("/models/reg/versions",
                            new StringContent(ModelDescriptions.RegisterVersionExample, Encoding.UTF8, "application/json"));
                    }
                    catch (HttpRequestException) { return; } // the process is gone
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    var version = (await response.ReadAsync<VersionResponse>()).Version;
                    lock (registered) registered.Add(version);
                }
            }
            var loops = Enumerable.Range(0, 3).Select(_ => Task.Run(RegisterLoopAsync)).ToArray();
            while (true)
            {
                lock (registered) if (registered.Count >= 10) break;
                await Task.Delay(5);
            }
            await service.KillAsync(); // with registrations in flight
            stop.Cancel();
            await Task.WhenAll(loops);
        }
        AssertDatabaseIntact();

        await using (var service = await StartAsync(workers: 0))
        {
            var versions = (await service.Client.GetFromJsonAsync<ModelResponse>("/models/reg", Api.Json))!.Versions.Select(v => v.Version).ToList();
            // Every version the client was told about is there (one in flight may have committed without its answer).
            Assert.Subset(versions.ToHashSet(), registered.ToHashSet());
            Assert.Equal(versions.Count, versions.Distinct().Count());
            foreach (var version in versions)
            {
                Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync($"/models/reg/versions/{version}/weights")).StatusCode);
                await AssertForecastsAsync(service.Client, "reg", version, history: 8);
            }
            Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp", SearchOption.AllDirectories));
            var next = await service.Client.PostAsync("/models/reg/versions",
                new StringContent(ModelDescriptions.RegisterVersionExample, Encoding.UTF8, "application/json"));
            Assert.True((await next.ReadAsync<VersionResponse>()).Version > versions.Max());
        }
    }

    [Fact]
    public async Task A_job_that_crashes_the_process_runs_at_most_MaxAttempts_times()
    {
        Guid id;
        await using (var service = await StartAsync(workers: 1, maxAttempts: 2))
        {
            id = (await service.Client.SubmitAsync("crashy", Api.LongTraining())).Id;
            await service.Client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running);
            await service.KillAsync();
        }
        await using (var service = await StartAsync(workers: 1, maxAttempts: 2))
        {
            // Re-queued and run a second time, then the process dies again.
            await service.Client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Attempts == 2);
            await service.KillAsync();
        }
        AssertDatabaseIntact();
        await using (var service = await StartAsync(workers: 1, maxAttempts: 2))
        {
            var job = await JobAsync(service.Client, id);
            Assert.Equal(TrainingJobStatus.Failed, job.Status);
            Assert.Equal(2, job.Attempts);
            Assert.Contains("MaxAttempts", job.Error);
        }
    }

    [Fact]
    public async Task SIGTERM_while_a_job_prepares_its_data_and_a_client_follows_its_events_exits_within_the_timeout_and_requeues_the_job()
    {
        const int timeoutSeconds = 5;
        Guid id;
        await using (var service = await StartAsync(workers: 1, shutdownSeconds: timeoutSeconds))
        {
            id = (await service.Client.SubmitAsync("large", LargeTraining())).Id;
            await service.Client.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running);
            // An open event stream, read up to its first event.
            using var events = await service.Client.GetAsync($"/training-jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            var stream = await events.Content.ReadAsStreamAsync();
            var first = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(first));
            Assert.Equal(0, (await JobAsync(service.Client, id)).Epoch); // still before the first epoch: preparing its data

            // Exits within the shutdown timeout (a few seconds more for the runtime to start and stop on a loaded machine).
            var took = await service.TerminateAsync(TimeSpan.FromSeconds(timeoutSeconds + 10));
            Assert.True(took < TimeSpan.FromSeconds(timeoutSeconds + 5), $"Took {took.TotalSeconds:F1} s to exit:\n{service.Output}");
            Assert.Equal(0, service.ExitCode);
        }
        AssertDatabaseIntact();
        await using (var service = await StartAsync(workers: 0))
        {
            var job = await JobAsync(service.Client, id);
            Assert.Equal(TrainingJobStatus.Queued, job.Status);
            Assert.Equal(0, job.Attempts); // a graceful stop does not use up an attempt
        }
    }

    [Fact]
    public async Task With_a_drain_SIGTERM_leaves_requests_answered_and_readiness_503_until_the_server_stops()
    {
        await using var service = await StartAsync(workers: 0, shutdownSeconds: 15, drainSeconds: 8);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        var exit = service.TerminateAsync(TimeSpan.FromSeconds(30));
        // Until the drain ends the server still answers: requests are served, and readiness tells the balancer to go.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        HttpResponseMessage ready;
        do ready = await service.Client.GetAsync("/health/ready");
        while (ready.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("Shutting down", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/v2/health/ready")).StatusCode); // the protocol's probe too
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);
        var took = await exit;
        Assert.True(took >= TimeSpan.FromSeconds(8), $"Exited after {took.TotalSeconds:F1} s, before the drain ended:\n{service.Output}");
        Assert.Equal(0, service.ExitCode);
        // A stop as asked is no error: readiness's 503s are warnings (each probe had written two error lines).
        Assert.Contains("WRN] Serilog.AspNetCore.RequestLoggingMiddleware: HTTP GET /health/ready responded 503", service.Output);
        Assert.DoesNotContain(" ERR] ", service.Output);
    }

    [Fact]
    public async Task A_body_still_arriving_at_SIGTERM_answers_503_to_send_again()
    {
        await using var service = await StartAsync(workers: 0, shutdownSeconds: 10);
        var address = service.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /models/none/forecast HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head + "{\"series\":[{\"history\":[1,2,3"));
        await Task.Delay(500); // the handler is reading the body
        var exit = service.TerminateAsync(TimeSpan.FromSeconds(30));
        // Kestrel's shutdown cancels the pending read: the answer was a bare 500 and an error with its stack trace.
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 503", answer);
        Assert.Contains("Retry-After: 1", answer);
        Assert.Contains("Service stopping", answer);
        await exit;
        Assert.DoesNotContain("An unhandled exception", service.Output);
        // Nor Kestrel's error, with a stack trace, that draining the rest of that body failed (the cancelled read left it mid-read).
        Assert.DoesNotContain("automatic draining of the request body failed", service.Output);
        Assert.DoesNotContain(" ERR] ", service.Output);
    }

    [Fact]
    public async Task A_100000_point_series_trains_within_the_job_memory_budget()
    {
        const long budget = 1L << 30; // TrainingQueue:MaxJobMemoryBytes's default, and the container's limit in deploy/k8s
        await using var service = await StartAsync(workers: 1);
        // A small validation part keeps the test short: the backtest forecasts every validation origin from its whole history.
        var job = await service.Client.SubmitAsync("large", LargeTraining(validationFraction: 0.01));
        var done = await service.Client.WaitForEndAsync(job.Id, timeoutSeconds: 600);
        Assert.True(done.Status == TrainingJobStatus.Succeeded, $"{done.Status}: {done.Error}");
        var peak = service.PeakResidentBytes();
        Assert.True(peak < budget, $"Peak resident memory {peak / (1 << 20)} MiB is over {budget / (1 << 20)} MiB.");
        await AssertForecastsAsync(service.Client, "large", history: 100);
    }
}

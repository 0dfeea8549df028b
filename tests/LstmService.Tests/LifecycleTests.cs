using System.Net;
using System.Net.Http.Json;
using LstmService.Models;
using LstmService.Training;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>Names, version numbers, the queue's capacity and readiness with no workers.</summary>
public sealed class LifecycleTests : ServiceFixture
{
    public LifecycleTests() : base(new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0", ["TrainingQueue:Capacity"] = "3" })
    {
    }

    [Theory]
    [InlineData("POST", "/models/abc%0A/training-jobs", "name")]
    [InlineData("POST", "/models/abc%0A/versions", "name")]
    [InlineData("GET", "/models/abc%0A", "name")]
    [InlineData("PUT", "/models/abc/aliases/prod%0A", "alias")]
    [InlineData("POST", "/models/abc%0A/forecast", "name")]
    public async Task A_name_or_alias_ending_in_a_newline_is_refused_naming_the_field(string method, string path, string field)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        // A body that binds, so the route check is what answers.
        if (method == "PUT") request.Content = JsonContent.Create(new { version = 1 });
        else if (method == "POST") request.Content = JsonContent.Create(new { });
        var errors = await (await Client.SendAsync(request)).ValidationErrorsAsync();
        Assert.Contains(field, errors.Keys);
        Assert.Empty((await Client.GetFromJsonAsync<ModelSummaryResponse[]>("/models", Api.Json))!);
    }

    [Fact]
    public async Task With_no_workers_the_node_is_ready_and_takes_jobs_up_to_capacity_and_cancelled_jobs_free_their_places()
    {
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Workers=0", await ready.Content.ReadAsStringAsync());

        var jobs = new List<TrainingJobResponse>();
        for (var i = 0; i < 3; i++) jobs.Add(await Client.SubmitAsync("api-only", Api.TinyTraining()));
        await (await Client.PostJsonAsync("/models/api-only/training-jobs", Api.TinyTraining())).ProblemAsync(HttpStatusCode.TooManyRequests);

        // Cancelling every queued job frees every place.
        foreach (var job in jobs) Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/training-jobs/{job.Id}/cancel", null)).StatusCode);
        for (var i = 0; i < 3; i++) await Client.SubmitAsync("api-only", Api.TinyTraining());
        await (await Client.PostJsonAsync("/models/api-only/training-jobs", Api.TinyTraining())).ProblemAsync(HttpStatusCode.TooManyRequests);

        // Still ready later on (the worker service's loop ending at once with no workers does not turn it off).
        await Task.Delay(200);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task No_workers_on_sqlite_warn_at_start_that_no_job_will_run()
    {
        // SQLite's directory is this process's alone: no other replica can run what it queues.
        var logs = new CapturingLoggerProvider();
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" },
            services: s => s.AddSingleton<ILoggerProvider>(logs));
        factory.CreateClient();
        Assert.Contains(logs.Messages, m => m.Contains("TrainingQueue:Workers is 0 on sqlite", StringComparison.Ordinal) && m.Contains("none runs", StringComparison.Ordinal));
    }
}

/// <summary>What survives a model's deletion and a crash: version numbers, and a job's attempt count.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private LstmServiceFactory Start(int workers, int maxAttempts = 3) => new(_directory, new Dictionary<string, string?>
    {
        ["TrainingQueue:Workers"] = workers.ToString(),
        ["TrainingQueue:MaxAttempts"] = maxAttempts.ToString(),
    });

    [Fact]
    public async Task Version_numbers_are_not_reused_after_the_model_is_deleted_also_across_a_restart()
    {
        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            Assert.Equal(1, (await client.TrainAsync("reborn")).Version);
            Assert.Equal(2, (await client.TrainAsync("reborn")).Version);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/models/reborn")).StatusCode);
            Assert.Equal(3, (await client.TrainAsync("reborn")).Version);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/models/reborn")).StatusCode);
        }
        await using (var factory = Start(workers: 1))
        {
            var client = factory.CreateClient();
            Assert.Equal(4, (await client.TrainAsync("reborn")).Version);
            // A pinned client asking for the deleted model's version 1 gets a 404, not another model.
            var pinned = await client.PostJsonAsync("/models/reborn/forecast?version=1", new { series = new[] { new { history = Api.Sine(12) } } });
            await pinned.ProblemAsync(HttpStatusCode.NotFound);
        }
    }

    /// <summary>Leaves the job as a crash would: running, after <paramref name="attempts"/> starts (with a cancel recorded, if asked).</summary>
    private void SimulateCrash(Guid id, int attempts, bool cancelRequested = false)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "registry.db")};Pooling=False");
        connection.Open();
        using var command = new SqliteCommand("UPDATE jobs SET status = 'running', attempts = $a, started_at = created_at, cancel_requested = $c WHERE id = $id", connection);
        command.Parameters.AddWithValue("$a", attempts);
        command.Parameters.AddWithValue("$c", cancelRequested ? 1 : 0);
        command.Parameters.AddWithValue("$id", id.ToString());
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task A_job_whose_cancel_was_recorded_before_a_crash_ends_cancelled_instead_of_running_again()
    {
        Guid id;
        await using (var factory = Start(workers: 0))
            id = (await factory.CreateClient().SubmitAsync("doomed", Api.TinyTraining())).Id;

        SimulateCrash(id, attempts: 1, cancelRequested: true);
        await using (var factory = Start(workers: 1))
        {
            var job = await factory.CreateClient().GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json);
            Assert.Equal(TrainingJobStatus.Cancelled, job!.Status);
            Assert.Null(job.Version);
            Assert.NotNull(job.FinishedAt);
        }
    }

    [Fact]
    public async Task A_second_process_on_the_same_data_directory_does_not_start_and_says_why()
    {
        await using var first = Start(workers: 1);
        var client = first.CreateClient();
        Assert.Equal(1, (await client.TrainAsync("owned")).Version);

        var refused = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _directory,
            ["TrainingQueue:Workers"] = "1",
        });
        var message = refused.ToString(); // with its inner exceptions' messages
        Assert.Contains("Another process is using the data directory", message);
        Assert.Contains("Storage:Provider postgres", message);

        // The first process was not disturbed: it still trains and forecasts.
        Assert.Equal(2, (await client.TrainAsync("owned")).Version);
    }

    [Fact]
    public async Task A_job_running_at_a_crash_is_requeued_until_MaxAttempts_then_fails_with_the_reason()
    {
        Guid id;
        await using (var factory = Start(workers: 0))
            id = (await factory.CreateClient().SubmitAsync("crashy", Api.TinyTraining())).Id;

        SimulateCrash(id, attempts: 1);
        await using (var factory = Start(workers: 0, maxAttempts: 2))
        {
            var client = factory.CreateClient();
            var job = await client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json);
            Assert.Equal(TrainingJobStatus.Queued, job!.Status);
            Assert.Equal(1, job.Attempts);
            // Counted as a replica's takeover is, so the LstmLeaseTakeovers alert sees a single process that keeps crashing.
            Assert.Equal(1, await TakeoversAsync(client));
        }

        SimulateCrash(id, attempts: 2);
        await using (var factory = Start(workers: 1, maxAttempts: 2))
        {
            var job = await factory.CreateClient().GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Api.Json);
            Assert.Equal(TrainingJobStatus.Failed, job!.Status);
            Assert.Equal(2, job.Attempts);
            Assert.Contains("MaxAttempts", job.Error);
            Assert.Contains("2 times", job.Error);
            Assert.NotNull(job.FinishedAt);
            Assert.Equal(1, await TakeoversAsync(factory.CreateClient()));
        }
    }

    static async Task<double> TakeoversAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync("/metrics")).Single(s => s.Name == "lstm_training_lease_takeovers_total").Value;
}

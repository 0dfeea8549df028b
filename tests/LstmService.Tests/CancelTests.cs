using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>The queue's cancel contract on SQLite; <see cref="PostgresCancelTests"/> runs every test again on PostgreSQL.</summary>
public class CancelTests
{
    /// <summary>"sqlite" here, "postgres" in the PostgreSQL variant.</summary>
    protected virtual string Storage => "sqlite";

    private LstmServiceFactory Start(Dictionary<string, string?>? settings = null) => new(settings: settings, storage: Storage);

    private static object? CancelRequested(LstmServiceFactory factory, Guid id)
    {
        const string Sql = "SELECT cancel_requested FROM jobs WHERE id = @id";
        if (factory.ConnectionString is { } postgres) return TestPostgres.Scalar(postgres, Sql, ("id", id.ToString()));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "registry.db")};Pooling=False");
        connection.Open();
        using var command = new Microsoft.Data.Sqlite.SqliteCommand(Sql, connection);
        command.Parameters.AddWithValue("@id", id.ToString());
        return command.ExecuteScalar();
    }

    [StorageFact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once()
    {
        await using var factory = Start(new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" });
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("queued", Api.TinyTraining());
        Assert.Equal(TrainingJobStatus.Queued, job.Status);

        var response = await client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cancelled = await response.ReadAsync<TrainingJobResponse>();
        Assert.Equal(TrainingJobStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.FinishedAt);

        // Idempotent for a cancelled job.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/training-jobs/{job.Id}/cancel", null)).StatusCode);
    }

    [StorageFact]
    public async Task Cancelling_a_running_job_stops_training_and_ends_cancelled()
    {
        await using var factory = Start();
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("running", Api.LongTraining());
        await client.WaitForAsync(job.Id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);

        var response = await client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Still running, and saying a cancel is on its way (it had said "running" and nothing more).
        var accepted = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("running", accepted.GetProperty("status").GetString());
        Assert.True(accepted.GetProperty("cancelRequested").GetBoolean(), accepted.ToString());

        var ended = await client.WaitForEndAsync(job.Id, timeoutSeconds: 30);
        Assert.Equal(TrainingJobStatus.Cancelled, ended.Status);
        Assert.False((await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/training-jobs/{job.Id}")).TryGetProperty("cancelRequested", out _));
        Assert.Null(ended.Version);
        Assert.True(ended.Epoch < ended.Epochs, $"stopped at epoch {ended.Epoch} of {ended.Epochs}");
        Assert.NotNull(ended.LossCurve);
        // The cancel was recorded in the registry before the run was stopped, so a crash in between could not lose it.
        Assert.Equal(1L, Convert.ToInt64(CancelRequested(factory, job.Id)));

        // The worker is free again.
        var next = await client.TrainAsync("running");
        Assert.Equal(1, next.Version);
    }

    [StorageFact]
    public async Task Cancelling_a_finished_job_conflicts_and_an_unknown_job_is_not_found()
    {
        await using var factory = Start();
        var client = factory.CreateClient();
        var job = await client.TrainAsync("done");
        var conflict = await client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
        await conflict.ProblemAsync(HttpStatusCode.Conflict);

        await (await client.PostAsync($"/training-jobs/{Guid.NewGuid()}/cancel", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [StorageFact]
    public async Task Cancelling_a_job_that_ended_before_its_worker_let_go_of_it_still_conflicts()
    {
        await using var factory = Start();
        var client = factory.CreateClient();
        var job = await client.TrainAsync("done");
        // The worker writes a job's end before it unregisters the run: hold the run registered as in that window.
        var queue = factory.Services.GetRequiredService<TrainingQueue>();
        using var run = new CancellationTokenSource();
        queue.RegisterRunning(job.Id, run);
        try
        {
            var conflict = await client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
            var problem = await conflict.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("succeeded", problem.GetProperty("detail").GetString());
            Assert.False(run.IsCancellationRequested);
            Assert.Equal(0L, Convert.ToInt64(CancelRequested(factory, job.Id)));
        }
        finally { queue.UnregisterRunning(job.Id); }
    }

    [StorageFact]
    public async Task A_job_past_its_time_limit_ends_failed_naming_the_setting()
    {
        await using var factory = Start(new Dictionary<string, string?> { ["TrainingQueue:MaxJobSeconds"] = "1" });
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("slow", Api.LongTraining()); // minutes of epochs

        var ended = await client.WaitForEndAsync(job.Id, timeoutSeconds: 30);
        Assert.Equal(TrainingJobStatus.Failed, ended.Status);
        Assert.Contains("TrainingQueue:MaxJobSeconds", ended.Error);
        Assert.Null(ended.Version);
    }

    [StorageFact]
    public async Task A_model_without_versions_says_what_became_of_its_training()
    {
        await using var factory = Start(new Dictionary<string, string?> { ["TrainingQueue:MaxJobSeconds"] = "1" });
        var client = factory.CreateClient();
        async Task<string> NoVersionsDetail()
        {
            var response = await client.PostJsonAsync("/models/pending/forecast", new { series = new[] { new { history = Api.Sine(12) } } });
            return (await response.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString()!;
        }

        var first = await client.SubmitAsync("pending", Api.LongTraining());
        var detail = await NoVersionsDetail();
        Assert.Contains(first.Id.ToString(), detail);
        Assert.Matches("is (queued|running)", detail);

        Assert.Equal(TrainingJobStatus.Failed, (await client.WaitForEndAsync(first.Id, timeoutSeconds: 30)).Status);
        detail = await NoVersionsDetail();
        Assert.Contains($"{first.Id} failed", detail);
        Assert.Equal("Model 'pending' has no version 1.",
            (await (await client.GetAsync("/models/pending/versions/1")).ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Contains("TrainingQueue:MaxJobSeconds", detail);

        var second = await client.SubmitAsync("pending", Api.LongTraining());
        await client.PostAsync($"/training-jobs/{second.Id}/cancel", null);
        Assert.Equal(TrainingJobStatus.Cancelled, (await client.WaitForEndAsync(second.Id, timeoutSeconds: 30)).Status);
        detail = await NoVersionsDetail();
        Assert.Contains($"{second.Id} was cancelled", detail);
        Assert.Contains("POST /models/pending/training-jobs", detail);
    }
}

using System.Net;

namespace LstmService.Tests;

/// <summary>A submit to a full training queue: 429 with Retry-After, nothing queued.</summary>
public sealed class QueueFullTests
{
    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["TrainingQueue:Workers"] = "0",
            ["TrainingQueue:Capacity"] = "2",
            ["TrainingQueue:RetryAfterSeconds"] = "17",
        });
        var client = factory.CreateClient();
        await client.SubmitAsync("full", Api.TinyTraining());
        await client.SubmitAsync("full", Api.TinyTraining());

        var response = await client.PostJsonAsync("/models/full/training-jobs", Api.TinyTraining());
        await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(17), response.Headers.RetryAfter?.Delta);

        // The rejected job left nothing behind.
        var jobs = await client.GetStringAsync("/training-jobs?model=full");
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(jobs).RootElement.GetArrayLength());
    }
}

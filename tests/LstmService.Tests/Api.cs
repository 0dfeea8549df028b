using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>Shared JSON options and request helpers for the tests.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.ConfigureJson(o);
        return o;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    /// <summary>A sine wave: level 10, amplitude 5, period 12.</summary>
    public static double[] Sine(int count, int start = 0, double level = 10, double amplitude = 5, double period = 12) =>
        Enumerable.Range(start, count).Select(t => level + amplitude * Math.Sin(2 * Math.PI * t / period)).ToArray();

    /// <summary>A small, fast training request on a sine wave (one network: tests that need an ensemble ask for one).</summary>
    public static object TinyTraining(int points = 80, int epochs = 3, int inputWindow = 12, int horizon = 3, ulong seed = 42) => new
    {
        seed,
        series = new[] { new { id = "sine", values = Sine(points) } },
        inputWindow,
        horizon,
        hiddenSize = 4,
        epochs,
        batchSize = 16,
        ensemble = 1,
    };

    /// <summary>
    /// A job that runs for minutes unless cancelled, its first epoch within seconds. The fit's step budget caps this series at
    /// 44 epochs whatever <c>epochs</c> asks, so the length comes from the network's width: 48 units ended in 5 s, and a cancel
    /// sent after two streamed epochs once found the job done; 2 layers of 256 units x 2 members take about 145 s (3.3 s an epoch).
    /// </summary>
    public static object LongTraining() => new
    {
        series = new[] { new { values = Sine(3000) } },
        inputWindow = 48,
        horizon = 6,
        hiddenSize = 256,
        layers = 2,
        epochs = 1000,
        patience = 1000,
        ensemble = 2,
    };

    public static async Task<TrainingJobResponse> SubmitAsync(this HttpClient client, string model, object request)
    {
        var response = await client.PostJsonAsync($"/models/{model}/training-jobs", request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return await response.ReadAsync<TrainingJobResponse>();
    }

    public static async Task<TrainingJobResponse> WaitForAsync(this HttpClient client, Guid id, Func<TrainingJobResponse, bool> condition, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var job = await client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{id}", Json);
            if (condition(job!)) return job!;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {id} is still {job!.Status} at epoch {job.Epoch}.");
            await Task.Delay(50);
        }
    }

    public static Task<TrainingJobResponse> WaitForEndAsync(this HttpClient client, Guid id, int timeoutSeconds = 120) =>
        client.WaitForAsync(id, j => j.Status is TrainingJobStatus.Succeeded or TrainingJobStatus.Failed or TrainingJobStatus.Cancelled, timeoutSeconds);

    /// <summary>Settings that have the service train the demo model "sunspots" on its first start, as it does outside the tests.</summary>
    public static Dictionary<string, string?> WithDemo() => new() { ["Demo:TrainSampleOnFirstStart"] = "true" };

    /// <summary>The demo job of a service started <see cref="WithDemo"/>, once it has succeeded (version 1 of sunspots).</summary>
    public static async Task<TrainingJobResponse> DemoTrainedAsync(this HttpClient client)
    {
        var demo = Assert.Single((await client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Json))!);
        var done = await client.WaitForEndAsync(demo.Id, timeoutSeconds: 300);
        Assert.Equal(TrainingJobStatus.Succeeded, done.Status);
        return done;
    }

    /// <summary>Trains a tiny model to completion and returns the finished job.</summary>
    public static async Task<TrainingJobResponse> TrainAsync(this HttpClient client, string model, object? request = null)
    {
        var job = await client.SubmitAsync(model, request ?? TinyTraining());
        var done = await client.WaitForEndAsync(job.Id);
        Assert.True(done.Status == TrainingJobStatus.Succeeded, $"Job ended {done.Status}: {done.Error}");
        return done;
    }

    /// <summary>The bundled sample the demo trains on, as copied next to the test binaries.</summary>
    public static string SunspotsCsvPath => Path.Combine(AppContext.BaseDirectory, "SampleData", "sunspots_yearly.csv");

    /// <summary>POSTs a multipart/form-data training job: the CSV in the field "file" plus the given form fields.</summary>
    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, string model, string? csv, params (string Name, string Value)[] fields) =>
        client.PostCsvAsync(model, csv is null ? null : System.Text.Encoding.UTF8.GetBytes(csv), fields);

    public static Task<HttpResponseMessage> PostCsvAsync(this HttpClient client, string model, byte[]? file, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new("text/csv");
            form.Add(part, "file", "data.csv");
        }
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return client.PostAsync($"/models/{model}/training-jobs", form);
    }

    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>(Json)!;
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}

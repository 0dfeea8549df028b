using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.InferenceV2;
using LstmService.Models;
using LstmService.Streams;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// Each success example in the OpenAPI document has the shape of the service's own answer to the request it documents, made
/// here against the demo model as the example's notes say: the same property names at every depth (a torch export's tensor
/// names too, which no schema lists) and values of the same JSON type, a null standing for any. The schema check
/// (<see cref="OpenApiExampleTests"/>) reads the types the service declares; this reads what it sends. Numbers are not
/// compared (DemoExampleTests compares the forecasts').
/// </summary>
public sealed class OpenApiAnswerTests
{
    /// <summary>Success examples no request here makes: the classifier's needs a classification model of its own.</summary>
    private static readonly HashSet<string> NotRequested = ["Classify 200"];

    [Fact]
    public async Task Each_success_example_has_the_shape_of_the_services_answer()
    {
        await using var factory = new LstmServiceFactory(settings: Api.WithDemo());
        var client = factory.CreateClient();
        var demo = await client.DemoTrainedAsync();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var answers = new Answers(document.RootElement);

        // In the order the examples were taken: the alias first, so the model's answers list it.
        await answers.Compare("SetModelAlias", await client.PutAsync("/models/sunspots/aliases/production", Json(ModelDescriptions.SetAliasExample)));
        await answers.Compare("ListModels", await client.GetAsync("/models"));
        await answers.Compare("GetModel", await client.GetAsync("/models/sunspots"));
        await answers.Compare("GetModelVersion", await client.GetAsync("/models/sunspots/versions/1"));
        await answers.Compare("GetModelVersionWeights", await client.GetAsync("/models/sunspots/versions/1/weights?format=torch"));
        await answers.Compare("ListTrainingJobs", await client.GetAsync("/training-jobs"));
        await answers.Compare("GetTrainingJob", await client.GetAsync($"/training-jobs/{demo.Id}"));
        await answers.Compare("Forecast", await client.PostAsync("/models/sunspots/forecast", Json(ForecastDocumentation.Example)));
        await answers.Compare("V2Infer", await client.PostAsync("/v2/models/sunspots/infer", Json(InferenceV2Documentation.Example)));
        await answers.Compare("V2InferVersion", await client.PostAsync("/v2/models/sunspots/versions/1/infer", Json(InferenceV2Documentation.Example)));
        foreach (var (operation, url) in new[]
        {
            ("V2ServerMetadata", "/v2"), ("V2ServerLive", "/v2/health/live"), ("V2ServerReady", "/v2/health/ready"),
            ("V2ModelMetadata", "/v2/models/sunspots"), ("V2ModelReady", "/v2/models/sunspots/ready"),
            ("V2ModelMetadataVersion", "/v2/models/sunspots/versions/1"), ("V2ModelReadyVersion", "/v2/models/sunspots/versions/1/ready"),
            ("GetLiveness", "/health/live"), ("GetReadiness", "/health/ready"),
        })
            await answers.Compare(operation, await client.GetAsync(url));

        var opened = await client.PostAsync("/models/sunspots/streams", Json(StreamDocumentation.OpenExample));
        var stream = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await answers.Compare("OpenStream", opened);
        await answers.Compare("AppendObservations", await client.PostAsync($"/streams/{stream}/observations", Json(StreamDocumentation.AppendExample)));
        await answers.Compare("GetStream", await client.GetAsync($"/streams/{stream}"));
        await answers.Compare("ExportStreamState", await client.GetAsync($"/streams/{stream}/state"));
        await answers.Compare("GetVersionMonitoring", await client.GetAsync("/models/sunspots/versions/1/monitoring"));
        await answers.Compare("RegisterModelVersion", await client.PostAsync("/models/my-model/versions", Json(ModelDescriptions.RegisterVersionExample)));

        // A job that runs for minutes holds the one worker, so the training example's job waits queued behind it.
        var running = await client.SubmitAsync("long", Api.LongTraining());
        await client.WaitForAsync(running.Id, j => j.Status == TrainingJobStatus.Running);
        var queued = await client.PostAsync("/models/my-model/training-jobs", Json(TrainingDocumentation.Example));
        var queuedId = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await answers.Compare("QueueTrainingJob", queued);
        await answers.Compare("CancelTrainingJob", await client.PostAsync($"/training-jobs/{queuedId}/cancel", null));
        await answers.Compare("CancelTrainingJob", await client.PostAsync($"/training-jobs/{running.Id}/cancel", null));
        await client.WaitForEndAsync(running.Id, timeoutSeconds: 60);

        var unrequested = OpenApiExampleTests.JsonSuccessAnswers(document.RootElement).Where(a => a.Example is not null)
            .Select(a => a.Name[..a.Name.IndexOf(" (", StringComparison.Ordinal)]).Except(answers.Compared).Except(NotRequested).ToList();
        Assert.True(answers.Mismatches.Count == 0, string.Join("\n", answers.Mismatches));
        Assert.True(unrequested.Count == 0, $"Success examples no request of this test answers (add one):\n{string.Join("\n", unrequested)}");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The examples of a document compared with answers: what differed, and which "OperationId status" were compared.</summary>
    private sealed class Answers(JsonElement root)
    {
        public List<string> Mismatches { get; } = [];

        public HashSet<string> Compared { get; } = [];

        public async Task Compare(string operationId, HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var name = $"{operationId} {status}";
            Compared.Add(name);
            var example = Example(operationId, status);
            if (example is null) Mismatches.Add($"{name}: no example of this answer ({body[..Math.Min(body.Length, 200)]})");
            else Same(example.Value, JsonDocument.Parse(body).RootElement.Clone(), $"{name} $", Mismatches);
        }

        private JsonElement? Example(string operationId, string status)
        {
            foreach (var path in root.GetProperty("paths").EnumerateObject())
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
                    if (operation.Value.GetProperty("operationId").GetString() == operationId
                        && operation.Value.GetProperty("responses").TryGetProperty(status, out var response)
                        && response.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var media)
                        && media.TryGetProperty("example", out var example))
                        return example;
            return null;
        }
    }

    /// <summary>
    /// Adds where <paramref name="documented"/> differs in shape from <paramref name="answered"/>: a property one has and the
    /// other not, a value of another JSON type. An array's items are compared with the answer's item at the same place (its last
    /// one past its end), so a shortened array fits; an empty answer or a null on either side says nothing of the shape.
    /// </summary>
    internal static void Same(JsonElement documented, JsonElement answered, string path, List<string> mismatches)
    {
        static string Kind(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? "Boolean" : e.ValueKind.ToString();
        if (documented.ValueKind == JsonValueKind.Null || answered.ValueKind == JsonValueKind.Null) return;
        if (Kind(documented) != Kind(answered))
        {
            mismatches.Add($"{path}: {Kind(documented)} in the example, {Kind(answered)} answered");
            return;
        }
        if (documented.ValueKind == JsonValueKind.Object)
        {
            var names = answered.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in documented.EnumerateObject())
                if (answered.TryGetProperty(property.Name, out var value)) Same(property.Value, value, $"{path}.{property.Name}", mismatches);
                else mismatches.Add($"{path}.{property.Name}: in the example, not answered");
            foreach (var name in names.Where(n => !documented.TryGetProperty(n, out _)))
                mismatches.Add($"{path}.{name}: answered, not in the example");
        }
        else if (documented.ValueKind == JsonValueKind.Array && answered.GetArrayLength() > 0)
        {
            int i = 0, last = answered.GetArrayLength() - 1;
            foreach (var item in documented.EnumerateArray()) Same(item, answered[Math.Min(i, last)], $"{path}[{i++}]", mismatches);
        }
    }
}

using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using LstmService.Classification;
using LstmService.Forecasting.Models;
using LstmService.Kernels;
using LstmService.Models;
using LstmService.TestSupport;

namespace LstmService.Tests;

/// <summary>Sequence classification through the API: training jobs, the classify endpoint, the registry's views, export and refusals.</summary>
public sealed class ClassificationTests(ClassificationFixture fixture) : IClassFixture<ClassificationFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private static object Sequences(IEnumerable<float[]> values) => new { sequences = values.Select((v, i) => new { id = $"s{i}", values = v }).ToArray() };

    private async Task<ClassifyResponse> ClassifyAsync(object body, string query = "")
    {
        var response = await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/classify{query}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ClassifyResponse>();
    }

    [Fact]
    public async Task The_version_records_its_task_classes_and_accuracy_macro_F1_and_confusion_matrix()
    {
        var v = await _client.GetFromJsonAsync<VersionResponse>($"/models/{ClassificationFixture.Classifier}/versions/{fixture.Job.Version}", Api.Json);
        Assert.Equal(ModelTask.Classification, v!.Architecture.Task);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], v.Architecture.Classes);
        Assert.Equal(4, v.Architecture.OutputSize);
        Assert.Equal(ModelTask.Classification, v.Training!.Task);
        var c = v.Metrics!.Classification!;
        Assert.Equal("validation", c.Part);
        Assert.True(c.Accuracy >= 0.7, $"validation accuracy {c.Accuracy}");
        Assert.InRange(c.MacroF1, 0.6, 1.0);
        Assert.Equal(4, c.ConfusionMatrix.Length);
        Assert.All(c.ConfusionMatrix, row => Assert.Equal(4, row.Length));
        Assert.Equal(c.ValidationSequences, c.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(c.Accuracy, (double)Enumerable.Range(0, 4).Sum(k => c.ConfusionMatrix[k][k]) / c.Sequences, 10);
        Assert.Equal(NottemWindows.Before1936.Count, c.TrainingSequences + c.ValidationSequences);
        Assert.Null(v.Metrics.Backtest);
        Assert.Empty(c.ClassesNotScored);

        var listed = await _client.GetFromJsonAsync<JsonElement>($"/models/{ClassificationFixture.Classifier}", Api.Json);
        Assert.Equal("classification", listed.GetProperty("versions")[0].GetProperty("task").GetString());
    }

    [Fact]
    public async Task A_class_too_rare_to_hold_out_is_named_as_not_scored()
    {
        // The stratified split keeps the one rare sequence for training, and a macro F1 of 1 had hidden that nothing judged
        // the class (a QA pass).
        var job = await _client.TrainAsync("rare-class", ClassificationFixture.RareClassRequest());
        var v = await _client.GetFromJsonAsync<VersionResponse>($"/models/rare-class/versions/{job.Version}", Api.Json);
        var c = v!.Metrics!.Classification!;
        Assert.Equal("validation", c.Part);
        Assert.Equal(0, c.ConfusionMatrix[1].Sum()); // the split held no "rare" sequence out
        // Named unless the model predicted it for some validation sequence (then judged, its F1 a real 0).
        Assert.Equal(c.ConfusionMatrix.Sum(row => row[1]) == 0 ? ["rare"] : [], c.ClassesNotScored);
    }

    [Fact]
    public async Task Classify_tells_the_quarter_of_later_windows_of_different_lengths()
    {
        var later = NottemWindows.From1936;
        Assert.True(later.Select(w => w.Values.Length).Distinct().Count() >= 4);
        var answer = await ClassifyAsync(Sequences(later.Select(w => w.Values)));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], answer.Classes);
        Assert.Equal(later.Count, answer.Results.Count);
        Assert.Equal("s0", answer.Results[0].Id);
        Assert.All(answer.Results, r => Assert.Equal(1.0, r.Probabilities.Values.Sum(), 4));
        Assert.All(answer.Results, r => Assert.Equal(r.Probabilities.MaxBy(p => p.Value).Key, r.Label));
        double accuracy = later.Zip(answer.Results).Count(p => p.First.Label == p.Second.Label) / (double)later.Count;
        // Four classes (chance 0.25); measured 0.979 (47 of 48) on the 48 windows ending 1936-1939, all later than the training ones.
        Assert.True(accuracy >= 0.8, $"accuracy {accuracy:F3}");
    }

    [Fact]
    public async Task A_sequence_gets_the_same_probabilities_alone_and_in_a_batch_with_longer_ones()
    {
        var windows = NottemWindows.From1936;
        var shortOne = windows.First(w => w.Values.Length == 4).Values;
        var alone = await ClassifyAsync(Sequences([shortOne]));
        var batch = await ClassifyAsync(Sequences(windows.Select(w => w.Values).Prepend(shortOne)));
        Assert.Equal(alone.Results[0].Probabilities, batch.Results[0].Probabilities);
    }

    [Fact]
    public async Task Forecasting_and_classification_refuse_each_others_versions_with_a_400()
    {
        var forecast = await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/forecast", new { series = new[] { new { history = Api.Sine(24) } } });
        var problem = await forecast.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("classification model", problem.GetProperty("detail").GetString());
        Assert.Contains("/classify", problem.GetProperty("detail").GetString());

        var classify = await _client.PostJsonAsync($"/models/{ClassificationFixture.Forecaster}/classify", Sequences([[1f, 2f, 3f]]));
        problem = await classify.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("forecasting model", problem.GetProperty("detail").GetString());

        // Nor does a classifier open a stream or describe itself as a forecaster in the v2 protocol (each was a 500 or wrong).
        var stream = await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/streams", new { seriesId = "s", history = Api.Sine(24) });
        Assert.Contains("classification model", (await stream.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        // Nor has it a stream monitoring page (it had answered 200 with empty forecasting metrics).
        var monitoring = await _client.GetAsync($"/models/{ClassificationFixture.Classifier}/versions/{fixture.Job.Version}/monitoring");
        Assert.Contains("classification model", (await monitoring.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        foreach (var path in new[] { "", "/ready", $"/versions/{fixture.Job.Version}/ready" })
        {
            var v2 = await _client.GetAsync($"/v2/models/{ClassificationFixture.Classifier}{path}");
            Assert.Equal(HttpStatusCode.BadRequest, v2.StatusCode);
            Assert.Contains("classification model", (await v2.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        // Neither refusal marked anything unavailable.
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync($"/models/{ClassificationFixture.Forecaster}/forecast", new { series = new[] { new { history = Api.Sine(24) } } })).StatusCode);
        await ClassifyAsync(Sequences([[40f, 45f, 50f, 55f]]));
    }

    [Fact]
    public async Task Aliases_and_both_weight_exports_serve_a_classifier()
    {
        var name = ClassificationFixture.Classifier;
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsJsonAsync($"/models/{name}/aliases/prod", new { version = fixture.Job.Version }, Api.Json)).StatusCode);
        var byAlias = await ClassifyAsync(Sequences([[40f, 45f, 50f, 55f]]), "?alias=prod");
        var byVersion = await ClassifyAsync(Sequences([[40f, 45f, 50f, 55f]]), $"?version={fixture.Job.Version}");
        Assert.Equal(byVersion.Results[0].Probabilities, byAlias.Results[0].Probabilities);

        var binary = await _client.GetAsync($"/models/{name}/versions/{fixture.Job.Version}/weights");
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        using (var stream = await binary.Content.ReadAsStreamAsync())
            Assert.Equal(["Q1", "Q2", "Q3", "Q4"], Forecasting.Classification.SequenceClassifier.Load(stream).Classes);

        var torch = await _client.GetFromJsonAsync<JsonElement>($"/models/{name}/versions/{fixture.Job.Version}/weights?format=torch");
        Assert.Equal([4, 16], torch.GetProperty("head.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([64, 1], torch.GetProperty("lstm.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], torch.GetProperty("_classification").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Bad_training_requests_get_400s_naming_the_field_and_store_nothing()
    {
        async Task<Dictionary<string, string[]>> Submit(object body) =>
            await (await _client.PostJsonAsync("/models/bad-classifier/training-jobs", body)).ValidationErrorsAsync();

        var errors = await Submit(new
        {
            task = "classification",
            horizon = 3,
            classWeights = new Dictionary<string, double> { ["zzz"] = 2, ["a"] = -1 },
            series = new object[] { new { values = new[] { 1.0, 2.0 }, label = "a" }, new { values = new[] { 1.0 } }, new { values = new[] { 3.0 }, label = "b" } },
        });
        Assert.Contains("horizon", errors.Keys);
        Assert.Contains("series[1].label", errors.Keys);
        Assert.Contains("classWeights.zzz", errors.Keys);
        Assert.Contains("classWeights.a", errors.Keys);

        errors = await Submit(new { task = "classification", series = new[] { new { values = new[] { 1.0 }, label = "a" }, new { values = new[] { 2.0 }, label = "a" } } });
        Assert.Equal("Classification needs at least 2 classes; every sequence is labelled 'a'.", Assert.Single(errors["series"]));

        // One labelled class beside a sequence without a label: said of the labelled ones, not of every sequence.
        errors = await Submit(new { task = "classification", series = new object[] { new { values = new[] { 1.0 } }, new { values = new[] { 2.0 }, label = "down" } } });
        Assert.Contains("series[0].label", errors.Keys);
        Assert.Equal("Classification needs at least 2 classes; every labelled sequence is labelled 'down' (1 has no label).", Assert.Single(errors["series"]));

        errors = await Submit(new { series = new[] { new { values = Api.Sine(40), label = "a" } }, validationSplit = "time" });
        Assert.Contains("series[0].label", errors.Keys);
        Assert.Contains("validationSplit", errors.Keys);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/models/bad-classifier")).StatusCode);
    }

    [Fact]
    public async Task Classify_names_bad_sequences_and_missing_covariates()
    {
        var errors = await (await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/classify",
            new { sequences = new object[] { new { values = Array.Empty<double>() }, new { values = new double?[] { 1, null, 3 } } } })).ValidationErrorsAsync();
        Assert.Equal(["sequences[0].values"], errors.Keys);
        // Nothing observed: refused, not classified from the filled-in gap (it answered "down" at 0.61).
        errors = await (await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/classify",
            new { sequences = new object[] { new { values = new double?[] { 1, 2 } }, new { values = new double?[] { null, null } } } })).ValidationErrorsAsync();
        Assert.Contains("Every value is missing", Assert.Single(errors["sequences[1].values"]));
        // Ids are echoed back, so they follow the series ids' rule: no empty id, control characters or a megabyte.
        errors = await (await _client.PostJsonAsync($"/models/{ClassificationFixture.Classifier}/classify", new
        {
            sequences = new object[] { new { id = "", values = new[] { 1.0 } }, new { id = "a\u001b[31m", values = new[] { 1.0 } }, new { id = new string('x', 201), values = new[] { 1.0 } }, new { id = "fine", values = new[] { 1.0 } } },
        })).ValidationErrorsAsync();
        Assert.Equal(["sequences[0].id", "sequences[1].id", "sequences[2].id"], errors.Keys.Order());

        // A classifier with a covariate, time-split validation and given class weights: classify needs the covariate.
        var job = await _client.TrainAsync("with-covariate", new
        {
            task = "classification",
            validationSplit = "time",
            classWeights = new Dictionary<string, double> { ["Q1"] = 2 },
            epochs = 2,
            hiddenSize = 4,
            series = NottemWindows.Before1936.Take(40).Select(w => new { values = w.Values, covariates = new { month = w.Values.Select(_ => (double)w.Month).ToArray() }, label = w.Label }).ToArray(),
        });
        var v = await _client.GetFromJsonAsync<VersionResponse>($"/models/with-covariate/versions/{job.Version}", Api.Json);
        Assert.Equal(["month"], v!.Architecture.Covariates);
        Assert.Equal(Forecasting.Classification.ValidationSplit.Time, v.Training!.ValidationSplit);
        Assert.Equal(8, v.Metrics!.Classification!.ValidationSequences); // the last 20% of 40, in the order given
        errors = await (await _client.PostJsonAsync("/models/with-covariate/classify", Sequences([[1f, 2f]]))).ValidationErrorsAsync();
        Assert.Equal(["sequences[0].covariates.month"], errors.Keys);
        // A misspelt name is named beside the one it stood for (only the missing month had been).
        errors = await (await _client.PostJsonAsync("/models/with-covariate/classify", new { sequences = new[] { new { values = new[] { 40.0, 42.0 }, covariates = new Dictionary<string, double[]> { ["Month"] = [2.0, 3.0] } } } })).ValidationErrorsAsync();
        Assert.Equal(["sequences[0].covariates.month", "sequences[0].covariates.Month"], errors.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Contains("Unknown covariate: this version reads month", Assert.Single(errors["sequences[0].covariates.Month"]));
        var ok = await _client.PostJsonAsync("/models/with-covariate/classify", new { sequences = new[] { new { values = new[] { 40.0, 42.0 }, covariates = new { month = new[] { 2.0, 3.0 } } } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_GRU_classifier_trains_classifies_later_windows_and_exports_gru_tensors()
    {
        var request = JsonSerializer.SerializeToNode(ClassificationFixture.Request(NottemWindows.Before1936), Api.Json)!.AsObject();
        request["cell"] = "gru";
        var job = await _client.TrainAsync("quarters-gru", request);
        var v = await _client.GetFromJsonAsync<VersionResponse>($"/models/quarters-gru/versions/{job.Version}", Api.Json);
        Assert.Equal(RecurrentCell.Gru, v!.Architecture.Cell);
        Assert.Equal(RecurrentCell.Gru, v.Training!.Cell);
        Assert.Equal(3L * 16 * (1 + 16 + 2) + 4 * 16 + 4, v.Architecture.Parameters); // a GRU's 3 gates, not an LSTM's 4
        Assert.True(v.Metrics!.Classification!.Accuracy >= 0.7, $"validation accuracy {v.Metrics.Classification.Accuracy}");

        var later = NottemWindows.From1936;
        var response = await _client.PostJsonAsync("/models/quarters-gru/classify", Sequences(later.Select(w => w.Values)));
        var answer = await response.ReadAsync<ClassifyResponse>();
        double accuracy = later.Zip(answer.Results).Count(p => p.First.Label == p.Second.Label) / (double)later.Count;
        // The LSTM's margin; the GRU measured 0.979 (47 of 48) with these settings in the library's test.
        Assert.True(accuracy >= 0.8, $"accuracy {accuracy:F3}");
        var alone = await (await _client.PostJsonAsync("/models/quarters-gru/classify", Sequences([later[0].Values]))).ReadAsync<ClassifyResponse>();
        Assert.Equal(alone.Results[0].Probabilities, answer.Results[0].Probabilities);

        var torch = await _client.GetFromJsonAsync<JsonElement>($"/models/quarters-gru/versions/{job.Version}/weights?format=torch");
        Assert.Equal([48, 1], torch.GetProperty("gru.weight_ih_l0").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(torch.TryGetProperty("lstm.weight_ih_l0", out _));
        Assert.Equal("gru", torch.GetProperty("_classification").GetProperty("cell").GetString());
        var binary = await _client.GetAsync($"/models/quarters-gru/versions/{job.Version}/weights");
        using var stream = await binary.Content.ReadAsStreamAsync();
        Assert.Equal(RecurrentCell.Gru, Forecasting.Classification.SequenceClassifier.Load(stream).Cell);
    }

    [Theory]
    [InlineData("""{"cell":"rnn"}""", "cell")]
    [InlineData("""{"cell":7}""", "cell")]
    [InlineData("""{"cell":"gru","peepholes":true}""", "peepholes")]
    public async Task Bad_cells_in_a_classification_request_are_400s_naming_the_field(string extra, string field)
    {
        var body = JsonSerializer.Serialize(ClassificationFixture.Request(NottemWindows.Before1936.Take(8), epochs: 1), Api.Json);
        body = body[..^1] + "," + extra[1..];
        var response = await _client.PostAsync("/models/bad-cell-classifier/training-jobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var errors = await response.ValidationErrorsAsync();
        Assert.Equal([field], errors.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/models/bad-cell-classifier")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using LstmService.Classification;
using LstmService.Forecasting.Models;
using LstmService.Models;
using LstmService.TestSupport;

namespace LstmService.Tests;

/// <summary>
/// A classifier through each storage provider: its job's labelled sequences stored with the queued row, its task, classes and
/// scores in the version's JSON documents, its weights in the weights store (a file, or a bytea row); <see cref="PostgresClassificationStorageTests"/>
/// runs it again on PostgreSQL.
/// </summary>
public class ClassificationStorageTests : ServiceFixture
{
    public ClassificationStorageTests() : base(settings: null)
    {
    }

    protected ClassificationStorageTests(string storage) : base(settings: null, storage)
    {
    }

    [StorageFact]
    public async Task A_classifier_is_stored_read_back_and_served()
    {
        var job = await Client.TrainAsync("stored-quarters", ClassificationFixture.Request(NottemWindows.Before1936.Take(48), epochs: 3));
        var v = await Client.GetFromJsonAsync<VersionResponse>($"/models/stored-quarters/versions/{job.Version}", Api.Json);
        Assert.Equal(ModelTask.Classification, v!.Architecture.Task);
        Assert.Equal(["Q1", "Q2", "Q3", "Q4"], v.Architecture.Classes);
        Assert.NotNull(v.Metrics!.Classification);
        Assert.Equal(ModelTask.Classification, v.Training!.Task);

        // Not cached by the training: the first classify loads the weights from the store.
        var response = await Client.PostJsonAsync("/models/stored-quarters/classify", new { sequences = new[] { new { values = NottemWindows.From1936[0].Values } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadAsync<ClassifyResponse>();
        Assert.Equal(1.0, answer.Results[0].Probabilities.Values.Sum(), 4);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/models/stored-quarters/versions/{job.Version}/weights")).StatusCode);
    }
}

public sealed class PostgresClassificationStorageTests() : ClassificationStorageTests("postgres"), IRunsOnPostgres;

using System.Net;
using LstmService.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>Deletions and streams: a version that streams read is not deleted, and a deleted model takes its streams with it.</summary>
public partial class StreamTests
{
    [StorageFact]
    public async Task A_version_that_streams_read_is_kept_until_they_are_deleted()
    {
        var series = Series(120);
        await _client.TrainAsync("read", Training(series[..100]));
        string first = (await Open("read", Nullable(series[..60]), "a")).GetProperty("id").GetString()!;
        string second = (await Open("read", Nullable(series[..60]), "b")).GetProperty("id").GetString()!;

        var problem = await (await _client.DeleteAsync("/models/read/versions/1")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Version has streams", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("read by 2 stream(s)", detail);
        Assert.Contains($"'{first}'", detail);
        Assert.Contains($"'{second}'", detail);
        // Nothing was deleted: the version still forecasts and the streams still append.
        await Stateless("read", Nullable(series[..60]));
        await Append(first, series[60]);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{first}")).StatusCode);
        Assert.Contains("read by 1 stream(s)", (await (await _client.DeleteAsync("/models/read/versions/1")).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/models/read/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/models/read/versions/1")).StatusCode);
    }

    [StorageFact]
    public async Task A_deleted_model_takes_its_streams_scores_and_anomalies_with_it()
    {
        var series = Series(120);
        await _client.TrainAsync("gone", Training(series[..100]));
        await _client.TrainAsync("stays", Training(series[..100]));
        string id = (await Open("gone", Nullable(series[..60]))).GetProperty("id").GetString()!;
        string other = (await Open("stays", Nullable(series[..60]))).GetProperty("id").GetString()!;
        // Scores for the values forecast, and an anomaly for a value far outside every interval.
        foreach (var value in new float?[] { series[60], series[61], series[62], 10 * series[63] })
        {
            await Append(id, value);
            await Append(other, value);
        }
        var store = _factory.Services.GetRequiredService<StreamStore>();
        Assert.NotEmpty(store.StreamScores(id, 10));
        Assert.NotEmpty(store.StreamAnomalies(id, 10));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/models/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/streams/{id}")).StatusCode);
        Assert.Empty(store.StreamScores(id, 10));
        Assert.Empty(store.StreamAnomalies(id, 10));
        // Another model's stream is left alone.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/streams/{other}")).StatusCode);
        Assert.NotEmpty(store.StreamScores(other, 10));
        Assert.NotEmpty(store.StreamAnomalies(other, 10));
    }
}

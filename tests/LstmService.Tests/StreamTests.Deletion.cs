using System.Net;
using System.Net.Http.Json;
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
        var ids = new List<string>();
        for (int i = 0; i < 6; i++) ids.Add((await Open("read", Nullable(series[..60]), $"s{i}")).GetProperty("id").GetString()!);

        var problem = await (await _client.DeleteAsync("/models/read/versions/1")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Version has streams", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        // The oldest five are named, the sixth is "more".
        Assert.Contains("6 stream(s) read it", detail);
        Assert.Contains($"{string.Join(", ", ids[..5].Select(id => $"'{id}'"))} and more", detail);
        Assert.DoesNotContain(ids[5], detail);
        // Nothing was deleted: the version still forecasts and the streams still append.
        await Stateless("read", Nullable(series[..60]));
        await Append(ids[0], series[60]);

        // Behind an alias as well: both are named.
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsJsonAsync("/models/read/aliases/live", new { version = 1 }, Api.Json)).StatusCode);
        var both = await (await _client.DeleteAsync("/models/read/versions/1")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Version is aliased", both.GetProperty("title").GetString());
        Assert.Contains("'live'", both.GetProperty("detail").GetString());
        Assert.Contains("6 stream(s) read it", both.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/models/read/aliases/live")).StatusCode);

        foreach (var id in ids[..5]) Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{id}")).StatusCode);
        var last = (await (await _client.DeleteAsync("/models/read/versions/1")).ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString()!;
        Assert.Contains($"1 stream(s) read it ('{ids[5]}')", last);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/streams/{ids[5]}")).StatusCode);
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
        // Scores for the values forecast, then a value far outside the next step's anomaly interval: an anomaly.
        foreach (var stream in new[] { id, other })
        {
            var latest = (await Append(stream, series[60], series[61], series[62])).GetProperty("forecast");
            float lower = latest.GetProperty("anomalyLower")[0].GetSingle(), upper = latest.GetProperty("anomalyUpper")[0].GetSingle();
            Assert.Single((await Append(stream, upper + 10 * (upper - lower))).GetProperty("anomalies").EnumerateArray());
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

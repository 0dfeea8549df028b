using System.Net;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// A history at the largest 32-bit floats (3.4e38), on a version that works on the log scale: its forecast saturates at
/// <see cref="float.MaxValue"/> (<c>SeriesTransforms.Inverse</c>), and a stream's anomaly interval, extended from that forecast,
/// must too. Its extension had been infinite, which JSON cannot hold: a one-off forecast answered 200 and a stream opened
/// with the same history 500 (a QA pass).
/// </summary>
public sealed class LargestFloatTests : IAsyncLifetime
{
    LstmServiceFactory _factory = null!;
    HttpClient _client = null!;

    /// <summary>Growing values with a weekly pattern in proportion: the default request chooses the log scale for them.</summary>
    static readonly float[] Training = Enumerable.Range(0, 159).Select(t =>
        (float)(100 * Math.Exp(0.01 * t) * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 7)) * Math.Exp(0.03 * Math.Sin(1.7 * t * t)))).ToArray();

    static readonly float[] Largest = Enumerable.Repeat(3.4e38f, 60).ToArray();

    public async Task InitializeAsync()
    {
        _factory = new LstmServiceFactory();
        _client = _factory.CreateClient();
        await _client.TrainAsync("largest", new { seed = 5, series = new[] { new { id = "a", values = Training } }, horizon = 14 });
        var version = await (await _client.GetAsync("/models/largest/versions/1")).ReadAsync<JsonElement>();
        Assert.Equal("log", version.GetProperty("architecture").GetProperty("transform").GetString());
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    static float[] Floats(JsonElement array) => array.EnumerateArray().Select(x => x.GetSingle()).ToArray();

    [Fact]
    public async Task A_stream_opened_at_the_largest_float_answers_as_a_one_off_forecast_does()
    {
        var oneOff = await _client.PostJsonAsync("/models/largest/forecast", new { series = new[] { new { history = Largest } } });
        Assert.True(oneOff.StatusCode == HttpStatusCode.OK, await oneOff.Content.ReadAsStringAsync());
        var mean = Floats((await oneOff.ReadAsync<JsonElement>()).GetProperty("forecasts")[0].GetProperty("mean"));

        var opened = await _client.PostJsonAsync("/models/largest/streams", new { seriesId = "a", history = Largest });
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var forecast = (await opened.ReadAsync<JsonElement>()).GetProperty("forecast");
        Assert.Equal(mean, Floats(forecast.GetProperty("mean")));
        Assert.All(mean, x => Assert.True(float.IsFinite(x) && x > 1e38f, $"{x}"));
    }

    [Fact]
    public async Task Values_at_the_largest_float_append_to_a_stream_and_are_stored()
    {
        var opened = await _client.PostJsonAsync("/models/largest/streams", new { seriesId = "b", history = Training[..150] });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        string id = (await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;

        var appended = await _client.PostJsonAsync($"/streams/{id}/observations", new { values = Largest });
        Assert.True(appended.StatusCode == HttpStatusCode.OK, await appended.Content.ReadAsStringAsync());
        Assert.Equal(210, (await (await _client.GetAsync($"/streams/{id}")).ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        var mean = Floats((await appended.ReadAsync<JsonElement>()).GetProperty("forecast").GetProperty("mean"));
        Assert.All(mean, x => Assert.True(float.IsFinite(x) && x > 1e38f, $"{x}"));
    }
}

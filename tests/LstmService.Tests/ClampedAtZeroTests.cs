using System.Net;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// A forecast of a version that clamps at zero says whether it was clamped: a history with negative values is left as
/// computed (its zeros would hide that it lies outside what the version learned from), and the caller can tell. A version
/// that does not clamp says nothing.
/// </summary>
public sealed class ClampedAtZeroTests(TorchExportFixture fixture) : IClassFixture<TorchExportFixture>
{
    private static readonly double[] Positive = Api.Sine(30);

    [Fact]
    public async Task A_clamping_version_says_which_forecasts_it_clamped()
    {
        var forecasts = await ForecastAsync("source", Positive, Positive.Select(v => v - 30).ToArray());
        Assert.True(forecasts[0].GetProperty("clampedAtZero").GetBoolean());
        Assert.False(forecasts[1].GetProperty("clampedAtZero").GetBoolean());
        // Left unclamped, the forecast of values about -20 is about -20, not zeros.
        Assert.All(forecasts[1].GetProperty("mean").EnumerateArray(), v => Assert.True(v.GetSingle() < -5, $"{v}"));
    }

    [Fact]
    public async Task A_version_that_does_not_clamp_leaves_the_field_out()
    {
        const string name = "unclamped";
        if ((await fixture.Client.GetAsync($"/models/{name}")).StatusCode != HttpStatusCode.OK)
        {
            var stateDict = await fixture.ExportAsync();
            stateDict["_forecast"]!["nonNegative"] = false;
            Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PostJsonAsync($"/models/{name}/versions", new { stateDict })).StatusCode);
        }
        var forecasts = await ForecastAsync(name, Positive, Positive.Select(v => v - 30).ToArray());
        Assert.All(forecasts, f => Assert.False(f.TryGetProperty("clampedAtZero", out _)));
    }

    [Fact]
    public async Task A_stream_says_it_too_and_keeps_saying_it_when_read_again()
    {
        foreach (var (history, clamped) in new[] { (Positive, true), (Positive.Select(v => v - 30).ToArray(), false) })
        {
            var opened = await fixture.Client.PostJsonAsync("/models/source/streams", new { seriesId = "s", history });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            var stream = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(clamped, stream.GetProperty("forecast").GetProperty("clampedAtZero").GetBoolean());
            var read = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/streams/{stream.GetProperty("id").GetString()}")).RootElement;
            Assert.Equal(clamped, read.GetProperty("forecast").GetProperty("clampedAtZero").GetBoolean());
        }
    }

    private async Task<JsonElement[]> ForecastAsync(string model, params double[][] histories)
    {
        var response = await fixture.Client.PostJsonAsync($"/models/{model}/forecast", new { series = histories.Select(h => new { history = h }).ToArray() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("forecasts").EnumerateArray().Select(f => f.Clone()).ToArray();
    }
}

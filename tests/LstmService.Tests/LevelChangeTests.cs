using System.Net;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// A forecast says which lasting changes of level it read in a history: where the new level starts (its index and, when
/// the history is dated, its time) and how large the change is, so a caller can tell why the forecast left the level the
/// version was trained on. A history without one says nothing.
/// </summary>
public sealed class LevelChangeTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    /// <summary>A weekly pattern about 100 with noise 2 (a fixed seed), <paramref name="shift"/> higher from value <paramref name="from"/> on.</summary>
    private static double[] Daily(int length, int from, double shift)
    {
        var rng = new Random(5);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return Enumerable.Range(0, length).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 7) + 2 * Normal() + (t >= from ? shift : 0)).ToArray();
    }

    [Fact]
    public async Task A_forecast_names_the_change_of_level_it_read_and_when()
    {
        // The default request: series and horizon only.
        await fixture.Client.TrainAsync("level", new { series = new[] { new { values = Daily(159, 159, 0) } }, horizon = 14, seed = 1 });
        var response = await fixture.Client.PostJsonAsync("/models/level/forecast", new
        {
            frequency = "daily",
            series = new object[]
            {
                new { id = "moved", history = Daily(170, 159, 40), start = "2026-01-01" },
                new { id = "steady", history = Daily(170, 170, 0), start = "2026-01-01" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forecasts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts");

        var change = Assert.Single(forecasts[0].GetProperty("levelChanges").EnumerateArray());
        Assert.Equal(159, change.GetProperty("index").GetInt32());
        Assert.Equal("2026-06-09T00:00:00+00:00", change.GetProperty("timestamp").GetString()); // 159 days after 1 January
        // A shift in the series' units, or a ratio where the version works on the log scale: either says about +40.
        double size = change.TryGetProperty("ratio", out var ratio) ? 100 * ratio.GetDouble() - 100 : change.GetProperty("shift").GetDouble();
        Assert.InRange(size, 36, 44);
        Assert.False(change.TryGetProperty("ratio", out _) && change.TryGetProperty("shift", out _), "a shift or a ratio, not both");
        Assert.InRange(forecasts[0].GetProperty("mean").EnumerateArray().Average(v => v.GetDouble()), 136, 144);

        Assert.False(forecasts[1].TryGetProperty("levelChanges", out _));

        // A stream's forecast says it too, as stored: when the stream is read again and after a value more.
        var opened = await fixture.Client.PostJsonAsync("/models/level/streams", new { seriesId = "moved", history = Daily(170, 159, 40), start = "2026-01-01", frequency = "daily" });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var stream = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement;
        var id = stream.GetProperty("id").GetString();
        Assert.Equal(change.GetRawText(), Assert.Single(stream.GetProperty("forecast").GetProperty("levelChanges").EnumerateArray()).GetRawText());
        var read = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/streams/{id}")).RootElement;
        Assert.Equal(change.GetRawText(), Assert.Single(read.GetProperty("forecast").GetProperty("levelChanges").EnumerateArray()).GetRawText());
        var appended = await fixture.Client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 140.0 } });
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        var after = JsonDocument.Parse(await appended.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(159, Assert.Single(after.GetProperty("forecast").GetProperty("levelChanges").EnumerateArray()).GetProperty("index").GetInt32());
    }
}

using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Streams;

namespace LstmService.Tests;

/// <summary>
/// A version of several series widens or narrows a forecast's intervals as the series its id names showed in training
/// (<c>ForecastModel.SeriesIntervalScales</c>): an intermittent shop trained beside a weekly one, a closed one and a flat one
/// had covered 0.27 of its 0.1-0.9 interval over HTTP (a QA pass). A one-off forecast and a stream under that id agree; a
/// history without an id, or under an id the version did not train on, keeps the pooled width.
/// </summary>
public sealed class PerSeriesIntervalTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    private static double[] Sparse(int length, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => rng.Next(6) switch { < 4 => 0.0, 4 => 5.0, _ => 10.0 })];
    }

    [Fact]
    public async Task A_forecast_under_a_training_series_id_takes_that_series_intervals()
    {
        var rng = new Random(3);
        var series = new object[]
        {
            new { id = "normal", values = Enumerable.Range(0, 200).Select(i => 100 + 20 * Math.Sin(2 * Math.PI * i / 7) + 4 * (rng.NextDouble() - 0.5)).ToArray() },
            new { id = "closed", values = new double[200] },
            new { id = "sparse", values = Sparse(200, 4) },
            new { id = "flat7", values = Enumerable.Repeat(7.5, 200).ToArray() },
        };
        await _client.TrainAsync("per-series-shops", new { horizon = 7, hiddenSize = 8, epochs = 5, ensemble = 2, series });
        // The version says how many of its series keep their own intervals (all four: 200 values each, with ids).
        var version = await _client.GetFromJsonAsync<System.Text.Json.JsonElement>("/models/per-series-shops/versions/1", Api.Json);
        var statistics = version.GetProperty("architecture").GetProperty("statistics");
        Assert.Equal(4, statistics.GetProperty("seriesIntervalScales").GetInt32());
        Assert.Equal(4, statistics.GetProperty("seriesMixWeights").GetInt32());

        var history = Sparse(200, 9);
        var response = await _client.PostJsonAsync("/models/per-series-shops/forecast", new
        {
            series = new object[] { new { id = "sparse", history }, new { history }, new { id = "elsewhere", history } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var forecasts = (await response.ReadAsync<ForecastResponse>()).Forecasts;
        var (own, pooled, stranger) = (forecasts[0], forecasts[1], forecasts[2]);
        // The answer says which forecasts took a training series' own weights and width: a mistyped id is no longer silent.
        Assert.Equal([true, false, false], forecasts.Select(f => f.TrainedSeries));
        var single = await _client.PostJsonAsync("/models/per-series-shops/forecast", new { series = new[] { new { id = "Sparse", history } } });
        Assert.False((await single.ReadAsync<ForecastResponse>()).Forecasts[0].TrainedSeries);
        // A version of one series keeps no series' own: the answer leaves the field out.
        await _client.TrainAsync("per-series-one", Api.TinyTraining());
        var alone = await _client.PostJsonAsync("/models/per-series-one/forecast", new { series = new[] { new { id = "sparse", history = Api.Sine(60) } } });
        Assert.DoesNotContain("trainedSeries", await alone.Content.ReadAsStringAsync());
        Assert.Equal(pooled.Mean, stranger.Mean);
        Assert.Equal(pooled.Quantiles["0.9"], stranger.Quantiles["0.9"]);
        double Width(SeriesForecastResponse f) => f.Quantiles["0.9"].Zip(f.Mean, (q, m) => q - m).Average();
        Assert.True(Width(own) > 1.5 * Width(pooled), $"own {Width(own)}, pooled {Width(pooled)}");

        // A stream of the same history under the same id forecasts the same interval.
        var opened = await _client.PostJsonAsync("/models/per-series-shops/streams", new { seriesId = "sparse", history });
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        var stream = await opened.ReadAsync<StreamResponse>();
        Assert.Equal(own.Quantiles["0.9"], stream.Forecast.Quantiles["0.9"]);
        Assert.Equal(own.Mean, stream.Forecast.Mean);
        // A stream's forecasts say so too, after an append as at the start; one under an unknown id says false.
        Assert.True(stream.Forecast.TrainedSeries);
        var appended = await _client.PostJsonAsync($"/streams/{stream.Id}/observations", new { values = new[] { 5.0, 0.0 } });
        Assert.True(appended.StatusCode == HttpStatusCode.OK, await appended.Content.ReadAsStringAsync());
        Assert.True((await appended.ReadAsync<AppendResponse>()).Forecast.TrainedSeries);
        // A gap the next value closes is filled with the series' own weights there too, as a one-off forecast of the same
        // values fills it (it had used the pooled ones in the stream).
        var gapped = await _client.PostJsonAsync($"/streams/{stream.Id}/observations", new { values = new double?[] { null, null, 10.0 } });
        Assert.True(gapped.StatusCode == HttpStatusCode.OK, await gapped.Content.ReadAsStringAsync());
        var streamed = (await gapped.ReadAsync<AppendResponse>()).Forecast;
        double?[] whole = [.. history.Select(v => (double?)v), 5.0, 0.0, null, null, 10.0];
        var oneOff = (await (await _client.PostJsonAsync("/models/per-series-shops/forecast", new { series = new[] { new { id = "sparse", history = whole } } }))
            .ReadAsync<ForecastResponse>()).Forecasts[0];
        Assert.Equal(oneOff.Mean, streamed.Mean);
        Assert.Equal(oneOff.Quantiles["0.9"], streamed.Quantiles["0.9"]);
        var unknown = await _client.PostJsonAsync("/models/per-series-shops/streams", new { seriesId = "elsewhere", history });
        Assert.False((await unknown.ReadAsync<StreamResponse>()).Forecast.TrainedSeries);
        var lone = await _client.PostJsonAsync("/models/per-series-one/streams", new { seriesId = "sparse", history = Api.Sine(60) });
        Assert.DoesNotContain("trainedSeries", await lone.Content.ReadAsStringAsync());

        // "sparse " is another series than "sparse", which training refuses: a forecast or stream under it is refused too,
        // naming the field (it had been answered with the pooled width and no dates, a QA pass), and nothing is stored.
        int streamsBefore = (await _client.GetFromJsonAsync<System.Text.Json.JsonElement>("/models/per-series-shops/versions/1/monitoring", Api.Json)).GetProperty("streams").GetInt32();
        var spaced = await (await _client.PostJsonAsync("/models/per-series-shops/forecast", new { series = new[] { new { id = "sparse ", history } } })).ValidationErrorsAsync();
        Assert.Equal("Must not begin or end with white space: 'sparse ' would be another series than 'sparse', which training refuses.", Assert.Single(spaced["series[0].id"]));
        var spacedStream = await (await _client.PostJsonAsync("/models/per-series-shops/streams", new { seriesId = " sparse", history })).ValidationErrorsAsync();
        Assert.StartsWith("Must not begin or end with white space", Assert.Single(spacedStream["seriesId"]));
        Assert.Equal(streamsBefore, (await _client.GetFromJsonAsync<System.Text.Json.JsonElement>("/models/per-series-shops/versions/1/monitoring", Api.Json)).GetProperty("streams").GetInt32());
        // A version that keeps a series of exactly such an id (trained before the rule; here an edited import) still names it.
        var stateDict = System.Text.Json.Nodes.JsonNode.Parse(await _client.GetStringAsync("/models/per-series-shops/versions/1/weights?format=torch"))!;
        foreach (var table in new[] { "seriesMixWeights", "seriesIntervalScales" })
        {
            var entries = stateDict["_forecast"]![table]!.AsObject();
            var kept = entries["sparse"]!.DeepClone();
            entries.Remove("sparse");
            entries["sparse "] = kept;
        }
        var imported = await _client.PostJsonAsync("/models/per-series-spaced/versions", new { stateDict });
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());
        var named = await _client.PostJsonAsync("/models/per-series-spaced/forecast", new { series = new[] { new { id = "sparse ", history } } });
        Assert.True(named.StatusCode == HttpStatusCode.OK, await named.Content.ReadAsStringAsync());
        var namedForecast = (await named.ReadAsync<ForecastResponse>()).Forecasts[0];
        Assert.True(namedForecast.TrainedSeries);
        Assert.Equal(own.Quantiles["0.9"], namedForecast.Quantiles["0.9"]);
        var namedStream = await _client.PostJsonAsync("/models/per-series-spaced/streams", new { seriesId = "sparse ", history });
        Assert.True(namedStream.StatusCode == HttpStatusCode.Created, await namedStream.Content.ReadAsStringAsync());
    }
}

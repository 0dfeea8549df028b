using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Models;

namespace LstmService.Tests;

/// <summary>
/// A history whose last values are missing (a sensor offline, a report not yet in) is forecast through its trailing gap
/// over HTTP, dated after the gap, with intervals for the lead from the last observed value; too long a gap is refused.
/// </summary>
public sealed class TrailingGapForecastTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private readonly HttpClient _client = service.Client;

    // A QA pass: daily values with a weekly pattern, the last three weeks missing, trained fine and then refused as
    // "Mostly missing" by a forecast of the very history it was trained on.
    private static double?[] Daily(int observed, int missing)
    {
        int[] week = [0, 5, 8, 6, 10, -15, -20];
        var rng = new Random(1);
        return [.. Enumerable.Range(0, observed).Select(t => (double?)(100 + 0.1 * t + week[t % 7] + 3 * (rng.NextDouble() - 0.5))),
            .. Enumerable.Repeat<double?>(null, missing)];
    }

    private Task<HttpResponseMessage> Forecast(string model, double?[] history) =>
        _client.PostJsonAsync($"/models/{model}/forecast", new { series = new[] { new { id = "s", history } } });

    [Fact]
    public async Task A_history_ending_with_three_missing_weeks_is_forecast_after_them_with_wider_intervals()
    {
        var values = Daily(140, 21);
        await _client.TrainAsync("offline", new
        {
            frequency = "daily", horizon = 7, inputWindow = 14, hiddenSize = 4, epochs = 2, ensemble = 1, seed = 3,
            series = new[] { new { id = "s", start = "2024-01-01", values } },
        });

        var response = await Forecast("offline", values);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gapped = Assert.Single((await response.ReadAsync<ForecastResponse>()).Forecasts);
        // Dated after the gap: 161 days from 2024-01-01 end on 2024-06-09.
        Assert.Equal("2024-06-10T00:00:00+00:00", gapped.Timestamps![0]);
        // The forecast from the observed values alone (their last is 2024-05-19), step for step 21 days closer to them.
        var observed = Assert.Single((await (await _client.PostJsonAsync("/models/offline/forecast",
            new { series = new[] { new { history = values[..140], start = "2024-01-01" } } })).ReadAsync<ForecastResponse>()).Forecasts);
        Assert.Equal("2024-05-20T00:00:00+00:00", observed.Timestamps![0]);
        for (int t = 0; t < 7; t++)
            Assert.True(gapped.Quantiles["0.9"][t] - gapped.Quantiles["0.1"][t] > observed.Quantiles["0.9"][t] - observed.Quantiles["0.1"][t],
                $"step {t + 1}: 21 days further from the last observed value, the interval is wider");
        // The weekly pattern goes on over the gap: Sundays (20 below the level) stay the week's low.
        int sunday = Array.IndexOf([.. gapped.Timestamps.Select(s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek)], DayOfWeek.Sunday);
        Assert.Equal(gapped.Mean.Min(), gapped.Mean[sunday]);

        // The longest gap forecast through is the larger of the window and four horizons: 28 here, as the version says.
        var version = await _client.GetFromJsonAsync<VersionResponse>("/models/offline/versions/1", Api.Json);
        Assert.Equal(28, version!.MaxTrailingGap);
        Assert.Equal(HttpStatusCode.OK, (await Forecast("offline", Daily(140, 28))).StatusCode);
        var errors = await (await Forecast("offline", Daily(140, 29))).ValidationErrorsAsync();
        Assert.StartsWith("The last 29 values are missing: this model forecasts through a trailing gap of at most 28",
            Assert.Single(errors["series[0].history"]));
        // The window before the gap must be mostly there: 8 of its 14 values missing is refused, as before (a gap that a value
        // closes is filled with the model's forecasts, below, unless, as here, it is longer than the 28 forecast through).
        var holey = Daily(140, 10);
        foreach (int t in Enumerable.Range(100, 33).Append(134)) holey[t] = null;
        errors = await (await Forecast("offline", holey)).ValidationErrorsAsync();
        Assert.StartsWith("Mostly missing: 8 of the 14 values up to the last observed one", Assert.Single(errors["series[0].history"]));

        // A stream opened on the history forecasts as the one-off request does.
        var opened = await _client.PostJsonAsync("/models/offline/streams", new { seriesId = "s", history = values });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var openedBody = await opened.ReadAsync<System.Text.Json.JsonElement>();
        var streamed = openedBody.GetProperty("forecast");
        Assert.Equal(gapped.Mean, streamed.GetProperty("mean").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal(gapped.Quantiles["0.9"], streamed.GetProperty("quantiles").GetProperty("0.9").EnumerateArray().Select(v => v.GetSingle()));

        // The sensor comes back: one value after the three weeks. The gap is filled with the forecasts the stream had made
        // through it, so the window is no longer mostly missing; before, every single value appended after it was refused.
        var id = openedBody.GetProperty("id").GetString();
        var back = Daily(162, 0)[161];
        var appended = await _client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { back } });
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        var afterBack = (await appended.ReadAsync<System.Text.Json.JsonElement>()).GetProperty("forecast").GetProperty("mean").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var oneOff = Assert.Single((await (await Forecast("offline", [.. values, back])).ReadAsync<ForecastResponse>()).Forecasts);
        Assert.Equal(oneOff.Mean, afterBack);
        Assert.Equal("2024-06-11T00:00:00+00:00", oneOff.Timestamps![0]);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>Dated streams: timestamps through appends, a restart and an export, and appends placed by their own times.</summary>
public partial class StreamTests
{
    [StorageFact]
    public async Task A_dated_stream_carries_timestamps_through_appends_a_restart_and_an_exported_state()
    {
        // A monthly training series from January 2020: a stream of the same series id goes on after its 60 months.
        var series = Series(80);
        await _client.TrainAsync("dated", new
        {
            seed = 3, frequency = "monthly", series = new[] { new { id = "sales", values = series[..60], start = "2020-01" } },
            inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, batchSize = 16, ensemble = 1,
        });
        var opened = await Open("dated", Nullable(series[..60]));
        Assert.Equal(["2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00"], Times(opened.GetProperty("forecast")));
        string id = opened.GetProperty("id").GetString()!;
        var appended = await Append(id, series[60], null);
        Assert.Equal(["2025-03-01T00:00:00+00:00", "2025-04-01T00:00:00+00:00", "2025-05-01T00:00:00+00:00"], Times(appended.GetProperty("forecast")));

        await Restart();
        var stream = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}");
        Assert.Equal(Times(appended.GetProperty("forecast")), Times(stream.GetProperty("forecast")));
        // The exported state keeps the dates, and a stream opened from it goes on from them.
        var state = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state");
        Assert.Equal(("P1M", 59), (state.GetProperty("timing").GetProperty("frequency").GetString(), state.GetProperty("timing").GetProperty("index").GetInt32()));
        var imported = await _client.PostJsonAsync("/models/dated/streams", new { state });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(Times(appended.GetProperty("forecast")), Times((await imported.ReadAsync<JsonElement>()).GetProperty("forecast")));

        // Another series id is dated by its start; on a version that knows no frequency the start needs one.
        await _client.TrainAsync("undated", Training(series[..60]));
        var started = await _client.PostJsonAsync("/models/undated/streams", new { seriesId = "shop-2", history = series[..30], start = "2021-01", frequency = "monthly" });
        Assert.Equal(["2023-07-01T00:00:00+00:00", "2023-08-01T00:00:00+00:00", "2023-09-01T00:00:00+00:00"],
            Times((await started.ReadAsync<JsonElement>()).GetProperty("forecast")));
        var errors = await (await _client.PostJsonAsync("/models/undated/streams", new { seriesId = "shop-3", history = series[..30], start = "2021-01" })).ValidationErrorsAsync();
        Assert.Contains("frequency", Assert.Single(errors["start"]));
        // An undated stream answers no timestamps; an exported state brings its own dates.
        Assert.False((await Open("undated", Nullable(series[..30]), "shop-4")).GetProperty("forecast").TryGetProperty("timestamps", out _));
        errors = await (await _client.PostJsonAsync("/models/dated/streams", new { state, start = "2021-01" })).ValidationErrorsAsync();
        Assert.Contains("state.timing", Assert.Single(errors["start"]));
        // An exported timing edited to another step than the version's, or past the calendar, is refused.
        foreach (var (frequency, time) in new[] { ("P1D", "2024-12-01T00:00:00+00:00"), ("P1M", "9999-12-01T00:00:00+00:00") })
        {
            var edited = System.Text.Json.Nodes.JsonNode.Parse(state.GetRawText())!;
            edited["timing"]!["frequency"] = frequency;
            edited["timing"]!["time"] = time;
            errors = await (await _client.PostJsonAsync("/models/dated/streams", new { state = edited })).ValidationErrorsAsync();
            Assert.Contains(frequency == "P1D" ? "trained on data sampled every 1 month" : "year 9999", Assert.Single(errors["state.timing"]));
        }
        // A time off the month day the steps land on had been taken, dating the next steps on another day than the values before.
        var offDay = System.Text.Json.Nodes.JsonNode.Parse(state.GetRawText())!;
        Assert.Equal(1, offDay["timing"]!["monthDay"]!.GetValue<int>());
        offDay["timing"]!["time"] = "2024-12-15T00:00:00+00:00";
        errors = await (await _client.PostJsonAsync("/models/dated/streams", new { state = offDay })).ValidationErrorsAsync();
        Assert.Contains("must fall on monthDay 1", Assert.Single(errors["state.timing"]));
        // Nor may an append date its forecast past the year 9999.
        var late = await _client.PostJsonAsync("/models/undated/streams", new { seriesId = "shop-5", history = series[..30], start = "9997-04", frequency = "monthly" });
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        var lateId = (await late.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        errors = await (await _client.PostJsonAsync($"/streams/{lateId}/observations", new { values = new float?[] { 1, 2, 3, 4 } })).ValidationErrorsAsync();
        Assert.Contains("year 9999", Assert.Single(errors["values"]));
    }

    [StorageFact]
    public async Task Timestamps_place_appended_values_and_a_skipped_step_is_a_missing_value()
    {
        var series = Series(40);
        await _client.TrainAsync("timed", Training(series[..36]));
        async Task<string> OpenDated(string seriesId)
        {
            // 30 months from January 2021: the last value is June 2023.
            var response = await _client.PostJsonAsync("/models/timed/streams", new { seriesId, history = series[..30], start = "2021-01", frequency = "monthly" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        var timed = await OpenDated("timed");
        var plain = await OpenDated("plain");
        // July, then September: August is missing, as a null there would make it.
        var placed = await _client.PostJsonAsync($"/streams/{timed}/observations", new { values = new[] { series[30], series[32] }, timestamps = new[] { "2023-07", "2023-09-01T00:00:00Z" } });
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        var expected = await Append(plain, series[30], null, series[32]);
        var actual = await placed.ReadAsync<JsonElement>();
        Assert.Equal(33, actual.GetProperty("length").GetInt32());
        Assert.Equal(expected.GetProperty("forecast").GetRawText(), actual.GetProperty("forecast").GetRawText());
        Assert.Equal("2023-10-01T00:00:00+00:00", Times(actual.GetProperty("forecast"))[0]);

        // Each bad time is named by its index, and the stream keeps what it had.
        foreach (var (values, timestamps, field, message) in new (float[], string[], string, string)[]
        {
            ([1], ["2023-09"], "timestamps[0]", "is the stream's value 32, which it already holds (33 values); the next value's time is 2023-10-01T00:00:00+00:00"),
            ([1, 2], ["2023-11", "2023-10"], "timestamps[1]", "must be after timestamps[0]"),
            ([1], ["2023-10-15"], "timestamps[0]", "is not one of the stream's times (every 1 month (P1M); the next is 2023-10-01T00:00:00+00:00)"),
            ([1], ["2020-12"], "timestamps[0]", "is before the stream's first value"),
            ([1], ["October"], "timestamps[0]", "'October' is not a time"),
            ([1, 2], ["2023-10"], "timestamps", "One per value: 2 values, 1 timestamps."),
            ([1], ["2200-01"], "timestamps[0]", "these values make 2116; at most 1000 per append (Streams:MaxValuesPerAppend)"),
            // Twenty skipped months leave the window (12) one value: the skip is what is named, not the one value given.
            ([1], ["2025-06"], "timestamps", "The timestamps skip 20 step(s), each a missing value; after them and these values the series cannot be forecast"),
        })
        {
            var errors = await (await _client.PostJsonAsync($"/streams/{timed}/observations", new { values, timestamps })).ValidationErrorsAsync();
            Assert.Contains(message, Assert.Single(errors[field]));
        }
        Assert.Equal(33, (await _client.GetFromJsonAsync<JsonElement>($"/streams/{timed}")).GetProperty("length").GetInt32());

        // The same instant in another offset is the same step: October 1st at midnight in +02:00 is September 30th, 22:00 UTC.
        var offset = await _client.PostJsonAsync("/models/timed/streams", new { seriesId = "offset", history = series[..30], start = "2021-01-01T00:00:00+02:00", frequency = "monthly" });
        var offsetId = (await offset.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        var utc = await _client.PostJsonAsync($"/streams/{offsetId}/observations", new { values = new[] { 1f }, timestamps = new[] { "2023-06-30T22:00:00Z" } });
        Assert.True(utc.StatusCode == HttpStatusCode.OK, await utc.Content.ReadAsStringAsync());
        Assert.Equal(31, (await utc.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        // A time without an offset is the stream's own clock: August 2023 is the next step, the month or the date alike
        // (read as UTC they fell two hours after the step and were refused, quoting the very date as the next one).
        foreach (var (text, length) in new[] { ("2023-08", 32), ("2023-09-01", 33), ("2023-10-01T00:00:00", 34), ("2023-11-01T00:00:00+0200", 35) })
        {
            var appended = await _client.PostJsonAsync($"/streams/{offsetId}/observations", new { values = new[] { 1f }, timestamps = new[] { text } });
            Assert.True(appended.StatusCode == HttpStatusCode.OK, $"{text}: {await appended.Content.ReadAsStringAsync()}");
            Assert.Equal(length, (await appended.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        }
        // On a stream whose steps are at 05:00 on the 15th, a month is that month's step and a date that day's (both had been
        // refused as between its steps); a quarter holds three of its steps and names none, a date off the 15th is no step.
        var late = await _client.PostJsonAsync("/models/timed/streams", new { seriesId = "late", history = series[..30], start = "2021-01-15T05:00:00+02:00", frequency = "monthly" });
        var lateStream = (await late.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        foreach (var (text, length) in new[] { ("2023-07", 31), ("2023-08-15", 32), ("2023-09-15T05:00:00", 33) })
        {
            var appended = await _client.PostJsonAsync($"/streams/{lateStream}/observations", new { values = new[] { 1f }, timestamps = new[] { text } });
            Assert.True(appended.StatusCode == HttpStatusCode.OK, $"{text}: {await appended.Content.ReadAsStringAsync()}");
            Assert.Equal(length, (await appended.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        }
        // On a quarterly stream in February, May, August and November a quarter names its one step, a year none of its four.
        var quarterly = await _client.PostJsonAsync("/models/timed/streams", new { seriesId = "quarterly", history = series[..30], start = "2015-02-15T05:00:00+02:00", frequency = "quarterly" });
        var quarterlyStream = (await quarterly.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        var yearly = await (await _client.PostJsonAsync($"/streams/{quarterlyStream}/observations", new { values = new[] { 1f }, timestamps = new[] { "2023" } })).ValidationErrorsAsync();
        Assert.Contains("is not one of the stream's times", Assert.Single(yearly["timestamps[0]"]));
        var nextQuarter = await _client.PostJsonAsync($"/streams/{quarterlyStream}/observations", new { values = new[] { 1f }, timestamps = new[] { "2022-Q3" } });
        Assert.Equal(31, (await nextQuarter.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        foreach (var text in new[] { "2023-Q4", "2023", "2023-10-01" })
        {
            var offGrid = await (await _client.PostJsonAsync($"/streams/{lateStream}/observations", new { values = new[] { 1f }, timestamps = new[] { text } })).ValidationErrorsAsync();
            Assert.Contains("is not one of the stream's times", Assert.Single(offGrid["timestamps[0]"]));
        }

        // An offset that is given still counts, with its colon or without (+0200 above): midnight UTC on December 1st is
        // 02:00 in the stream's clock, no step of it.
        var between = await (await _client.PostJsonAsync($"/streams/{offsetId}/observations", new { values = new[] { 1f }, timestamps = new[] { "2023-12-01T00:00:00Z" } })).ValidationErrorsAsync();
        Assert.Contains("is not one of the stream's times", Assert.Single(between["timestamps[0]"]));

        // Local midnights whose offset moves with daylight saving (Europe/Berlin, as pandas writes them) are whole days and
        // months apart, as in a forecast's history: read in the stream's +01:00 they had fallen an hour before their step.
        foreach (var (frequency, start, times, length) in new[]
        {
            ("daily", "2024-03-01T00:00:00+01:00", new[] { "2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00" }, 32),
            ("monthly", "2021-01-01T00:00:00+01:00", new[] { "2023-07-01T00:00:00+02:00" }, 31),
        })
        {
            var local = await _client.PostJsonAsync("/models/timed/streams", new { seriesId = $"berlin-{frequency}", history = series[..30], start, frequency });
            var localId = (await local.ReadAsync<JsonElement>()).GetProperty("id").GetString();
            var summer = await _client.PostJsonAsync($"/streams/{localId}/observations", new { values = times.Select(_ => 1f).ToArray(), timestamps = times });
            Assert.True(summer.StatusCode == HttpStatusCode.OK, $"{frequency}: {await summer.Content.ReadAsStringAsync()}");
            Assert.Equal(length, (await summer.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        }

        // A covariate's values are placed with the series', its skipped step missing too.
        var prices = Enumerable.Range(0, 40).Select(t => 1 + (float)Math.Sin(t / 3.0)).ToArray();
        await _client.TrainAsync("timed-price", new
        {
            seed = 3, series = new[] { new { id = "sales", values = series[..36], covariates = new { price = prices[..36] } } },
            inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, batchSize = 16, ensemble = 1,
        });
        var ids = new List<string>();
        foreach (var seriesId in new[] { "a", "b" })
        {
            var opened = await _client.PostJsonAsync("/models/timed-price/streams",
                new { seriesId, history = series[..30], covariates = new { price = prices[..30] }, start = "2021-01", frequency = "monthly" });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            ids.Add((await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        var withTimes = await _client.PostJsonAsync($"/streams/{ids[0]}/observations",
            new { values = new[] { series[30], series[32] }, covariates = new { price = new[] { prices[30], prices[32] } }, timestamps = new[] { "2023-07", "2023-09" } });
        var withNulls = await _client.PostJsonAsync($"/streams/{ids[1]}/observations",
            new { values = new float?[] { series[30], null, series[32] }, covariates = new { price = new float?[] { prices[30], null, prices[32] } } });
        Assert.Equal(HttpStatusCode.OK, withTimes.StatusCode);
        Assert.Equal((await withNulls.ReadAsync<JsonElement>()).GetProperty("forecast").GetRawText(), (await withTimes.ReadAsync<JsonElement>()).GetProperty("forecast").GetRawText());

        // An undated stream has no times to place values on.
        var undated = (await Open("timed", Nullable(series[..30]), "undated")).GetProperty("id").GetString();
        var refused = await (await _client.PostJsonAsync($"/streams/{undated}/observations", new { values = new[] { 1f }, timestamps = new[] { "2023-07" } })).ValidationErrorsAsync();
        Assert.Contains("This stream has no dates", Assert.Single(refused["timestamps"]));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LstmService.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>
/// Streams on either provider: the streamed forecast equals the one-off forecast of the whole history bit for bit (appends,
/// gaps, a restart, an exported and imported state), values are scored against the forecasts made for them, an outlier is
/// flagged, concurrent appends lose nothing and idle streams expire.
/// </summary>
public partial class StreamTests : IAsyncLifetime
{
    protected virtual string Storage => "sqlite";
    readonly string _directory = LstmServiceFactory.NewDataDirectory();
    string? _database;
    LstmServiceFactory _factory = null!;
    HttpClient _client = null!;
    // The service's warnings, so a failed assertion on an answer's status can say what the service logged (a 503's cause).
    readonly CapturingLoggerProvider _logs = new();

    public Task InitializeAsync()
    {
        if (Storage == "postgres") _database = TestPostgres.CreateDatabase();
        Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        LstmServiceFactory.DeleteDirectory(_directory);
        if (_database is not null) TestPostgres.DropDatabase(_database);
    }

    void Start()
    {
        _factory = new LstmServiceFactory(_directory, storage: Storage, connectionString: _database,
            services: s => s.AddSingleton<ILoggerProvider>(_logs));
        _client = _factory.CreateClient();
    }

    async Task Restart()
    {
        await _factory.DisposeAsync();
        Start();
    }

    /// <summary>A positive, growing series with a season of 12 and noise, as floats (so JSON carries them exactly).</summary>
    static float[] Series(int n)
    {
        var random = new Random(11);
        return Enumerable.Range(0, n).Select(t => (float)((50 + 0.2 * t) * (1 + 0.25 * Math.Sin(2 * Math.PI * t / 12)) + 2 * random.NextDouble())).ToArray();
    }

    static object Training(float[] values) => new
    {
        seed = 3, series = new[] { new { id = "sales", values } }, inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, batchSize = 16, ensemble = 1,
    };

    static float?[] Nullable(float[] values, params int[] gaps) => values.Select((v, i) => gaps.Contains(i) ? (float?)null : v).ToArray();

    async Task<JsonElement> Stateless(string model, float?[] history)
    {
        var response = await _client.PostJsonAsync($"/models/{model}/forecast", new { series = new[] { new { history } } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadAsync<JsonElement>()).GetProperty("forecasts")[0];
    }

    static void AssertSame(JsonElement expected, JsonElement actual, string where)
    {
        Assert.True(Floats(expected.GetProperty("mean")).SequenceEqual(Floats(actual.GetProperty("mean"))), $"mean differs {where}");
        foreach (var q in expected.GetProperty("quantiles").EnumerateObject())
            Assert.True(Floats(q.Value).SequenceEqual(Floats(actual.GetProperty("quantiles").GetProperty(q.Name))), $"quantile {q.Name} differs {where}");
    }

    static int[] Floats(JsonElement array) => array.EnumerateArray().Select(e => BitConverter.SingleToInt32Bits(e.GetSingle())).ToArray();

    async Task<JsonElement> Open(string model, float?[] history, string seriesId = "sales")
    {
        var response = await _client.PostJsonAsync($"/models/{model}/streams", new { seriesId, history });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync<JsonElement>();
    }

    async Task<JsonElement> Append(string id, params float?[] values)
    {
        var response = await _client.PostJsonAsync($"/streams/{id}/observations", new { values });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<JsonElement>();
    }

    static string[] Times(JsonElement forecast) => [.. forecast.GetProperty("timestamps").EnumerateArray().Select(t => t.GetString()!)];

    [StorageFact]
    public async Task Streamed_forecasts_equal_one_off_forecasts_through_gaps_a_restart_and_an_exported_state()
    {
        var series = Series(140);
        await _client.TrainAsync("sales", Training(series[..100]));
        var all = Nullable(series, 52, 60, 61, 62, 75);

        var opened = await Open("sales", all[..50]);
        string id = opened.GetProperty("id").GetString()!;
        AssertSame(await Stateless("sales", all[..50]), opened.GetProperty("forecast"), "at open");
        int length = 50;
        // One value, three with a gap, a gap left open (the trailing gap is filled at forecast time), then the gap closed.
        foreach (var count in new[] { 1, 3, 8, 2, 1, 10 })
        {
            var answer = await Append(id, all[length..(length + count)]);
            length += count;
            Assert.Equal(length, answer.GetProperty("length").GetInt32());
            AssertSame(await Stateless("sales", all[..length]), answer.GetProperty("forecast"), $"after {length} values");
        }

        // After a restart, the missing value at 75 alone: a trailing gap, which the exported window shows (a single missing value
        // that a value closes is filled in a model with a season, as a longer gap is).
        await Restart();
        var afterRestart = await Append(id, all[length..(length + 1)]);
        length += 1;
        AssertSame(await Stateless("sales", all[..length]), afterRestart.GetProperty("forecast"), "after a restart");

        // Exported and imported: the new stream goes on as the old one does.
        var state = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state", Api.Json);
        Assert.Equal(1, state.GetProperty("version").GetInt32());
        var network = state.GetProperty("network");
        Assert.Equal(1, network.GetProperty("hidden").GetArrayLength());
        Assert.Equal(4, network.GetProperty("hidden")[0].GetArrayLength());
        Assert.Equal(JsonValueKind.Null, network.GetProperty("cell").ValueKind); // the default cell, a GRU, has no cell state
        // The trailing gap at 75 is in the window: missing as null, as requests mark it, never the string "NaN".
        Assert.Contains(state.GetProperty("series").GetProperty("window").EnumerateArray(), v => v.ValueKind == JsonValueKind.Null);
        Assert.DoesNotContain("\"NaN\"", state.GetRawText());
        var imported = await _client.PostJsonAsync("/models/sales/streams", new { state });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var copy = (await imported.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        // Earlier releases exported a missing value as "NaN": such a state is read the same.
        var legacyState = System.Text.Json.Nodes.JsonNode.Parse(state.GetRawText())!;
        var legacyWindow = legacyState["series"]!["window"]!.AsArray();
        for (var i = 0; i < legacyWindow.Count; i++)
            if (legacyWindow[i] is null) legacyWindow[i] = "NaN";
        var legacy = await _client.PostJsonAsync("/models/sales/streams", new { state = legacyState });
        Assert.Equal(HttpStatusCode.Created, legacy.StatusCode);
        var legacyCopy = (await legacy.ReadAsync<JsonElement>()).GetProperty("id").GetString()!;
        var next = all[length..(length + 4)];
        var fromOriginal = await Append(id, next);
        var fromCopy = await Append(copy, next);
        var fromLegacy = await Append(legacyCopy, next);
        length += 4;
        var expected = await Stateless("sales", all[..length]);
        AssertSame(expected, fromOriginal.GetProperty("forecast"), "original after the export");
        AssertSame(expected, fromCopy.GetProperty("forecast"), "imported copy");
        AssertSame(expected, fromLegacy.GetProperty("forecast"), "copy of a state with \"NaN\" for missing values");
        // The copy scored the same values against the same forecasts.
        Assert.Equal(fromOriginal.GetProperty("scored").GetRawText(), fromCopy.GetProperty("scored").GetRawText());

        var shown = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json);
        Assert.Equal(length, shown.GetProperty("length").GetInt32());
        Assert.Equal(12, shown.GetProperty("lastWindow").GetArrayLength());
        Assert.Equal(series[length - 1], shown.GetProperty("lastWindow")[11].GetSingle());
        AssertSame(expected, shown.GetProperty("forecast"), "shown");
    }

    [StorageFact]
    public async Task Values_are_scored_against_the_forecasts_made_for_them_and_outliers_are_flagged()
    {
        var series = Series(120);
        await _client.TrainAsync("scored", Training(series[..100]));
        var version = await _client.GetFromJsonAsync<JsonElement>("/models/scored/versions/1", Api.Json);
        var backtest = version.GetProperty("metrics").GetProperty("backtest");
        int season = backtest.GetProperty("seasonLength").GetInt32();
        var history = series[..60];
        double naive = 0;
        for (int i = season; i < history.Length; i++) naive += Math.Abs(history[i] - history[i - season]);
        naive /= history.Length - season;

        var opened = await Open("scored", Nullable(history));
        string id = opened.GetProperty("id").GetString()!;
        var f0 = opened.GetProperty("forecast");
        var first = await Append(id, series[60]);
        var f1 = first.GetProperty("forecast");
        var second = await Append(id, series[61], series[62]);

        // By hand: value 60 against f0 step 1; 61 against f0 step 2 and f1 step 1; 62 against f0 step 3 and f1 step 2.
        var expected = new List<(int Index, int Step, double Forecast)>
        {
            (60, 1, f0.GetProperty("mean")[0].GetSingle()),
            (61, 2, f0.GetProperty("mean")[1].GetSingle()), (61, 1, f1.GetProperty("mean")[0].GetSingle()),
            (62, 3, f0.GetProperty("mean")[2].GetSingle()), (62, 2, f1.GetProperty("mean")[1].GetSingle()),
        };
        var scored = first.GetProperty("scored").EnumerateArray().Concat(second.GetProperty("scored").EnumerateArray()).ToList();
        Assert.Equal(expected.Count, scored.Count);
        var errors = new List<double>();
        foreach (var (index, step, forecast) in expected)
        {
            var s = scored.Single(x => x.GetProperty("index").GetInt32() == index && x.GetProperty("step").GetInt32() == step);
            double abs = Math.Abs(forecast - series[index]);
            // A float like the forecast and the value it is the difference of, printed as one (no double digits of a float).
            Assert.Equal((float)abs, s.GetProperty("absoluteError").GetSingle());
            Assert.Equal(((float)abs).ToString("R", System.Globalization.CultureInfo.InvariantCulture), s.GetProperty("absoluteError").GetRawText());
            Assert.Equal(abs / naive, s.GetProperty("scaledError").GetDouble(), 9);
            errors.Add(abs);
        }
        var shown = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json);
        var monitoring = shown.GetProperty("monitoring");
        Assert.Equal(5, monitoring.GetProperty("points").GetInt32());
        Assert.Equal(errors.Average(), monitoring.GetProperty("mae").GetDouble(), 9);
        Assert.Equal(Math.Sqrt(errors.Average(e => e * e)), monitoring.GetProperty("rmse").GetDouble(), 9);
        Assert.Equal(errors.Average() / naive, monitoring.GetProperty("mase").GetDouble(), 9);
        var step2 = monitoring.GetProperty("byStep").EnumerateArray().Single(s => s.GetProperty("step").GetInt32() == 2);
        Assert.Equal(2, step2.GetProperty("points").GetInt32());
        Assert.Equal((errors[1] + errors[4]) / 2, step2.GetProperty("mae").GetDouble(), 9);
        // Coverage: the share of scored values inside the 0.1-0.9 band of their forecast, counted by hand.
        int inside = 0;
        foreach (var (index, step, _) in expected)
        {
            var f = index - step == 59 ? f0 : f1;
            float lo = f.GetProperty("quantiles").GetProperty("0.1")[step - 1].GetSingle(), hi = f.GetProperty("quantiles").GetProperty("0.9")[step - 1].GetSingle();
            if (series[index] >= lo && series[index] <= hi) inside++;
        }
        Assert.Equal((double)inside / 5, monitoring.GetProperty("intervalCoverage").GetProperty("0.1-0.9").GetDouble(), 12);

        var versionMonitoring = await _client.GetFromJsonAsync<JsonElement>("/models/scored/versions/1/monitoring", Api.Json);
        Assert.Equal(5, versionMonitoring.GetProperty("online").GetProperty("points").GetInt32());
        Assert.Equal(1, versionMonitoring.GetProperty("streams").GetInt32());
        double backtestMase = backtest.GetProperty("model").GetProperty("mase").GetDouble();
        Assert.Equal(errors.Average() / naive / backtestMase, versionMonitoring.GetProperty("maseRatio").GetDouble(), 9);

        // An outlier far outside the anomaly interval is flagged and listed; the interval is wider than the 0.1-0.9 band.
        var latest = second.GetProperty("forecast");
        float lower = latest.GetProperty("anomalyLower")[0].GetSingle(), upper = latest.GetProperty("anomalyUpper")[0].GetSingle();
        Assert.True(lower < latest.GetProperty("quantiles").GetProperty("0.1")[0].GetSingle());
        Assert.True(upper > latest.GetProperty("quantiles").GetProperty("0.9")[0].GetSingle());
        float outlier = upper + 10 * (upper - lower);
        var flagged = await Append(id, outlier);
        var anomaly = Assert.Single(flagged.GetProperty("anomalies").EnumerateArray());
        Assert.Equal(63, anomaly.GetProperty("index").GetInt32());
        Assert.Equal(1, anomaly.GetProperty("step").GetInt32());
        Assert.Equal(upper, anomaly.GetProperty("upper").GetSingle());
        // Printed as the forecast printed it: a float read back from storage, not its double's 16 digits.
        Assert.Equal(latest.GetProperty("anomalyUpper")[0].GetRawText(), anomaly.GetProperty("upper").GetRawText());
        var listed = (await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json)).GetProperty("anomalies");
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("index").GetInt32() == 63);
        Assert.True((await _client.GetFromJsonAsync<JsonElement>("/models/scored/versions/1/monitoring", Api.Json)).GetProperty("anomalies").GetInt32() >= 1);
    }

    [StorageFact]
    public async Task Concurrent_appends_lose_no_value_and_idle_streams_expire()
    {
        var series = Series(120);
        await _client.TrainAsync("busy", Training(series[..100]));
        string id = (await Open("busy", Nullable(series[..40]))).GetProperty("id").GetString()!;
        // A second client, so the appends really overlap.
        var other = _factory.CreateClient();
        var appends = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? _client : other).PostJsonAsync($"/streams/{id}/observations", new { values = new[] { series[40 + i] } }));
        var answers = await Task.WhenAll(appends);
        Assert.True(answers.All(a => a.StatusCode == HttpStatusCode.OK),
            $"Answers {string.Join(", ", answers.Select(a => (int)a.StatusCode))}; the service logged: {string.Join(" | ", _logs.Messages)}");
        var lengths = new List<int>();
        foreach (var a in answers) lengths.Add((await a.ReadAsync<JsonElement>()).GetProperty("length").GetInt32());
        Assert.Equal(Enumerable.Range(41, 16), lengths.Order());
        Assert.Equal(56, (await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json)).GetProperty("length").GetInt32());

        var purge = _factory.Services.GetRequiredService<StreamPurgeService>();
        Assert.Equal(0, purge.Sweep(DateTimeOffset.UtcNow.AddDays(29)));
        Assert.Equal(1, purge.Sweep(DateTimeOffset.UtcNow.AddDays(31)));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/streams/{id}")).StatusCode);
    }

    [StorageFact]
    public async Task Bad_stream_requests_name_the_field_and_change_nothing()
    {
        var series = Series(120);
        await _client.TrainAsync("strict", Training(series[..100]));
        string id = (await Open("strict", Nullable(series[..40]))).GetProperty("id").GetString()!;

        Assert.Contains("id", (await (await _client.PostJsonAsync("/streams/not-an-id/observations", new { values = new[] { 1f } })).ValidationErrorsAsync()).Keys);
        await (await _client.PostJsonAsync($"/streams/{new string('a', 32)}/observations", new { values = new[] { 1f } })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("values", (await (await _client.PostJsonAsync($"/streams/{id}/observations", new { values = Array.Empty<float>() })).ValidationErrorsAsync()).Keys);
        Assert.Contains("values[1]", (await (await _client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 50.0, 1e300 } })).ValidationErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync($"/streams/{id}/observations",
            new StringContent("""{"values":["NaN"]}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Contains("covariates.price", (await (await _client.PostJsonAsync($"/streams/{id}/observations",
            new { values = new[] { 50f }, covariates = new { price = new[] { 1f } } })).ValidationErrorsAsync()).Keys);
        // Values leaving a trailing gap past the longest the model forecasts through (12 here) cannot be forecast from:
        // refused, nothing stored, and the reason given without the kernel's " (Parameter 'state')".
        foreach (var missing in new[] { 13, 40 })
        {
            var gap = await (await _client.PostJsonAsync($"/streams/{id}/observations", new { values = new float?[missing] })).ValidationErrorsAsync();
            var reason = Assert.Single(gap, e => e.Key == "values").Value.Single();
            Assert.StartsWith("After these values the series cannot be forecast: ", reason);
            Assert.DoesNotContain("(Parameter", reason);
        }
        Assert.Equal(40, (await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}", Api.Json)).GetProperty("length").GetInt32());

        Assert.Contains("seriesId", (await (await _client.PostJsonAsync("/models/strict/streams", new { history = series[..40] })).ValidationErrorsAsync()).Keys);
        // A given id that is too long is not "Required".
        Assert.Equal("Must be 1 to 200 characters, no control characters; got 201 characters.",
            Assert.Single((await (await _client.PostJsonAsync("/models/strict/streams", new { seriesId = new string('s', 201), history = series[..40] })).ValidationErrorsAsync())["seriesId"]));
        Assert.Contains("history", (await (await _client.PostJsonAsync("/models/strict/streams", new { seriesId = "s", history = series[..5] })).ValidationErrorsAsync()).Keys);
        Assert.Contains("history[2]", (await (await _client.PostJsonAsync("/models/strict/streams", new { seriesId = "s", history = new double[] { 1, 2, 1e300 }.Concat(series[..20].Select(v => (double)v)) })).ValidationErrorsAsync()).Keys);
        Assert.Contains("alias", (await (await _client.PostJsonAsync("/models/strict/streams?version=1&alias=prod", new { seriesId = "s", history = series[..40] })).ValidationErrorsAsync()).Keys);
        await (await _client.PostJsonAsync("/models/nope/streams", new { seriesId = "s", history = series[..40] })).ProblemAsync(HttpStatusCode.NotFound);

        var state = await _client.GetFromJsonAsync<JsonElement>($"/streams/{id}/state", Api.Json);
        var wrongVersion = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        wrongVersion["version"] = JsonSerializer.SerializeToElement(7);
        Assert.Contains("state.version", (await (await _client.PostJsonAsync("/models/strict/streams?version=1", new { state = wrongVersion })).ValidationErrorsAsync()).Keys);
        // The state's own id is named as the state's field (it had been told under a seriesId the request did not give).
        var noId = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        noId["seriesId"] = JsonSerializer.SerializeToElement("");
        Assert.Equal(["state.seriesId"], (await (await _client.PostJsonAsync("/models/strict/streams", new { state = noId })).ValidationErrorsAsync()).Keys);
        var cut = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        var seriesState = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(cut["series"].GetRawText())!;
        seriesState["tail"] = JsonSerializer.SerializeToElement(new[] { 1f });
        cut["series"] = JsonSerializer.SerializeToElement(seriesState);
        var contradiction = (await (await _client.PostJsonAsync("/models/strict/streams", new { state = cut })).ValidationErrorsAsync())["state.series"];
        Assert.All(contradiction, m => Assert.DoesNotContain("(Parameter", m));

        // An import holds no more than a stream could have kept: copies of one issued forecast (each would be scored
        // against every value appended, filling the version's monitoring) and a tail longer than a stream keeps are refused.
        var copies = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        var issued = copies["issued"].EnumerateArray().ToArray();
        Assert.NotEmpty(issued);
        copies["issued"] = JsonSerializer.SerializeToElement(Enumerable.Repeat(issued[^1], 500));
        Assert.Contains("At most one forecast per origin", Assert.Single((await (await _client.PostJsonAsync("/models/strict/streams", new { state = copies })).ValidationErrorsAsync())["state.issued"]));
        var longTail = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        var longSeries = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(longTail["series"].GetRawText())!;
        longSeries["tail"] = JsonSerializer.SerializeToElement(Enumerable.Repeat(1f, 5000));
        longSeries["settled"] = JsonSerializer.SerializeToElement(100_000);
        longSeries["length"] = JsonSerializer.SerializeToElement(100_000);
        longTail["series"] = JsonSerializer.SerializeToElement(longSeries);
        Assert.Contains("the tail holds the last", Assert.Single((await (await _client.PostJsonAsync("/models/strict/streams", new { state = longTail })).ValidationErrorsAsync())["state.series"]));
        // A sum of absolute steps below zero (an edited export) had been taken, and moved every forecast the stream made.
        var negative = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(state.GetRawText())!;
        var negativeSeries = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(negative["series"].GetRawText())!;
        var scale = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(negativeSeries["scale"].GetRawText())!;
        scale["sumAbsSteps"] = JsonSerializer.SerializeToElement(-1e30);
        negativeSeries["scale"] = JsonSerializer.SerializeToElement(scale);
        negative["series"] = JsonSerializer.SerializeToElement(negativeSeries);
        Assert.Contains("non-negative", Assert.Single((await (await _client.PostJsonAsync("/models/strict/streams", new { state = negative })).ValidationErrorsAsync())["state.series"]));
        // The export itself still opens a stream.
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/models/strict/streams", new { state })).StatusCode);
    }
}

/// <summary>Every <see cref="StreamTests"/> test on the PostgreSQL provider (a fresh database each).</summary>
public sealed class PostgresStreamTests : StreamTests, IRunsOnPostgres
{
    protected override string Storage => "postgres";
}

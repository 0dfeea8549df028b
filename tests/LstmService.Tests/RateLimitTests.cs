using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>Tiny limits: two forecasts and one training submit per key per hour (one test starts its own service with the defaults).</summary>
public sealed class RateLimitFixture() : ServiceFixture(new Dictionary<string, string?>(AuthFixture.Settings)
{
    ["RateLimits:ForecastPermits"] = "2",
    ["RateLimits:ForecastWindowSeconds"] = "3600",
    ["RateLimits:TrainingSubmitPermits"] = "1",
    ["RateLimits:TrainingSubmitWindowSeconds"] = "3600",
});

public sealed class RateLimitTests(RateLimitFixture fixture) : IClassFixture<RateLimitFixture>
{
    private Task<HttpResponseMessage> Post(string path, string key, string body = """{"series":[{"history":[1,2,3]}]}""")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        return fixture.Client.SendAsync(request);
    }

    [Fact]
    public async Task Each_key_has_its_own_forecast_and_training_limits_and_429_says_when_to_retry()
    {
        // Forecasts of the read key: two pass (to the handler: 404, no such model), the third is refused.
        Assert.Equal(HttpStatusCode.NotFound, (await Post("/models/none/forecast", AuthFixture.ReadKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post("/models/none/forecast", AuthFixture.ReadKey)).StatusCode);
        var refused = await Post("/models/none/forecast", AuthFixture.ReadKey);
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("RateLimits:ForecastPermits", problem.GetProperty("detail").GetString());
        Assert.Contains("per API key", problem.GetProperty("detail").GetString());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem.GetProperty("type").GetString());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 3600);

        // The write key's forecasts are counted apart.
        Assert.Equal(HttpStatusCode.NotFound, (await Post("/models/none/forecast", AuthFixture.WriteKey)).StatusCode);

        // Training submits have their own policy: one per hour, bad or not.
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("/models/m/training-jobs", AuthFixture.WriteKey, """{"series":[]}""")).StatusCode);
        var second = await Post("/models/m/training-jobs", AuthFixture.WriteKey, """{"series":[]}""");
        var submitProblem = await second.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("RateLimits:TrainingSubmitPermits", submitProblem.GetProperty("detail").GetString());
        Assert.NotNull(second.Headers.RetryAfter?.Delta);

        // Endpoints without a policy are not limited.
        var read = new HttpRequestMessage(HttpMethod.Get, "/models");
        read.Headers.Add("X-Api-Key", AuthFixture.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task Forecast_values_are_limited_per_window_and_a_request_larger_than_a_window_is_a_400()
    {
        // 100 values (series x horizon) an hour per client: a forecast of 10 series counts 30 values at horizon 3, 10 at horizon 1.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:ForecastPointPermits"] = "100",
            ["RateLimits:ForecastWindowSeconds"] = "3600",
        });
        var client = factory.CreateClient();
        await client.TrainAsync("points");
        object Body(int series, int? horizon = null) => new { horizon, series = Enumerable.Range(0, series).Select(_ => new { history = Api.Sine(24) }).ToArray() };

        // A v2 inference asking for an output the version does not have is refused before it takes any values.
        var history = Api.Sine(24).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var bogus = await client.PostJsonAsync("/v2/models/points/infer", new
            {
                inputs = new[] { new { name = "history", shape = new[] { 10, 24 }, datatype = "FP32", data = Enumerable.Repeat(history, 10).SelectMany(h => h).ToArray() } },
                outputs = new[] { new { name = "bogus" } },
            });
            Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
            Assert.Contains("unknown output(s) 'bogus'", await bogus.Content.ReadAsStringAsync());
        }

        foreach (var horizon in new int?[] { null, 3, null }) // 30 + 30 + 30 values
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/points/forecast", Body(10, horizon))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/points/forecast", Body(10, 1))).StatusCode); // 100 in all
        var refused = await client.PostJsonAsync("/models/points/forecast", Body(1, 1));
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("At most 100 forecast values (series x horizon, a stream's horizon per append, or sequences classified, and the values a trailing gap is filled with) per 3600 s per client address", problem.GetProperty("detail").GetString());
        Assert.Contains("RateLimits:ForecastPointPermits", problem.GetProperty("detail").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);

        // One request over a whole window's values is the caller's to split: 400 naming the series, whatever is left.
        var errors = await (await client.PostJsonAsync("/models/points/forecast", Body(34))).ValidationErrorsAsync();
        Assert.Contains("This request asks for 102 values (series x horizon, a stream's horizon per append, or sequences classified, and the values a trailing gap is filled with); a client address may have 100 per 3600 s", Assert.Single(errors["series"]));
        // A bad request takes nothing: validation comes first (and this one is refused for its history, not the limit).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync("/models/points/forecast", new { series = new[] { new { history = new[] { 1.0 } } } })).StatusCode);
    }

    [Fact]
    public async Task A_trailing_gap_counts_the_values_that_fill_it()
    {
        // Window 12, horizon 3: 7 trailing nulls are filled by three passes of 3 values, so such a series counts 3 + 9 = 12.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:ForecastPointPermits"] = "100",
            ["RateLimits:ForecastWindowSeconds"] = "3600",
        });
        var client = factory.CreateClient();
        await client.TrainAsync("gaps");
        var gapped = Api.Sine(24).Select(v => (double?)v).Concat(Enumerable.Repeat((double?)null, 7)).ToArray();
        object Body(int series, bool gap) => new { series = Enumerable.Range(0, series).Select(_ => new { history = gap ? gapped : Api.Sine(24).Select(v => (double?)v).ToArray() }).ToArray() };

        var errors = await (await client.PostJsonAsync("/models/gaps/forecast", Body(9, gap: true))).ValidationErrorsAsync();
        Assert.Contains("This request asks for 108 values", Assert.Single(errors["series"]));
        Assert.Contains("the values a trailing gap is filled with", errors["series"][0]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/gaps/forecast", Body(5, gap: true))).StatusCode); // 60
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/gaps/forecast", Body(3, gap: false))).StatusCode); // 69
        await (await client.PostJsonAsync("/models/gaps/forecast", Body(3, gap: true))).ProblemAsync(HttpStatusCode.TooManyRequests); // 105
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/gaps/forecast", Body(10, gap: false))).StatusCode); // 99
    }

    [Fact]
    public async Task A_stream_opened_on_a_trailing_gap_takes_the_values_that_fill_it()
    {
        // 10 values a window: an opening on 4 trailing nulls takes 3 + 6, so the first append's 3 no longer fit.
        var (factory, client) = await StreamService(10);
        await using var _ = factory;
        string id = await OpenStream(client, new { seriesId = "s", history = StreamHistory.Select(v => (double?)v).Concat(Enumerable.Repeat((double?)null, 4)) });
        await (await client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 0.5 } })).ProblemAsync(HttpStatusCode.TooManyRequests);
        var stream = await client.GetFromJsonAsync<JsonElement>($"/streams/{id}");
        Assert.Equal(StreamHistory.Length + 4, stream.GetProperty("length").GetInt32());
    }

    /// <summary>A service allowing <paramref name="permits"/> forecast values an hour per client, with a stream model "live" of horizon 3.</summary>
    private static async Task<(LstmServiceFactory Factory, HttpClient Client)> StreamService(int permits)
    {
        var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:ForecastPointPermits"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:ForecastWindowSeconds"] = "3600",
        });
        var client = factory.CreateClient();
        await client.TrainAsync("live");
        return (factory, client);
    }

    private static readonly double[] StreamHistory = Api.Sine(30);

    private static async Task<string> OpenStream(HttpClient client, object body)
    {
        var opened = await client.PostJsonAsync("/models/live/streams", body);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_streams_opening_and_each_append_take_its_horizon_and_the_stream_survives_a_refusal()
    {
        var (factory, client) = await StreamService(10);
        await using var _ = factory;
        string id = await OpenStream(client, new { seriesId = "s", history = StreamHistory });
        // 3 + 3 + 3 values: the third append would make 12 of 10.
        foreach (var value in new[] { 0.5, 0.6 })
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { value } })).StatusCode);
        var refused = await client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 0.7 } });
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("At most 10 forecast values (series x horizon, a stream's horizon per append", problem.GetProperty("detail").GetString());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        // The refused value was not applied: the stream still holds the history and the two appended values.
        var stream = await client.GetFromJsonAsync<JsonElement>($"/streams/{id}");
        Assert.Equal(StreamHistory.Length + 2, stream.GetProperty("length").GetInt32());
        // A bad append takes nothing: validation comes first.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostJsonAsync($"/streams/{id}/observations", new { values = Array.Empty<double>() })).StatusCode);
    }

    [Fact]
    public async Task Appends_refused_by_the_forecast_or_as_duplicates_of_a_race_take_nothing()
    {
        // An append the forecast refuses (13 missing values, a longer trailing gap than the 12 the version forecasts
        // through): with 6 values a window, the opening's 3 and then a good append's 3 still pass.
        var (six, sixClient) = await StreamService(6);
        await using (six)
        {
            string id = await OpenStream(sixClient, new { seriesId = "s", history = StreamHistory });
            var gap = await sixClient.PostJsonAsync($"/streams/{id}/observations", new { values = new double?[13] });
            Assert.Contains("cannot be forecast", Assert.Single((await gap.ValidationErrorsAsync())["values"]));
            Assert.Equal(HttpStatusCode.OK, (await sixClient.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 0.5 } })).StatusCode);
        }

        // Appends that race to the same time: the one stored takes its horizon, the others, refused on their retry as
        // duplicates, take nothing. With 60 values a window: the opening's 3, the winner's 3, then 18 more appends of 3.
        var (racing, racer) = await StreamService(60);
        await using (racing)
        {
            string id = await OpenStream(racer, new { seriesId = "s", history = StreamHistory, start = "2020-01", frequency = "monthly" });
            var race = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                racing.CreateClient().PostJsonAsync($"/streams/{id}/observations", new { values = new[] { i * 0.1 }, timestamps = new[] { "2022-07" } })));
            Assert.Equal(1, race.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(11, race.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
            var passed = 0;
            while ((await racer.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 0.5 } })).StatusCode == HttpStatusCode.OK) passed++;
            Assert.Equal(18, passed);
        }
    }

    [Fact]
    public async Task A_limit_below_the_horizon_is_a_400_saying_to_raise_it()
    {
        // No window could ever let such a stream through: a 400 saying so, not a 429 to retry forever.
        var (tiny, tinyClient) = await StreamService(2);
        await using var _ = tiny;
        var errors = await (await tinyClient.PostJsonAsync("/models/live/streams", new { seriesId = "s", history = StreamHistory })).ValidationErrorsAsync();
        Assert.Contains("asks for 3 values", Assert.Single(errors["history"]));
        Assert.Contains("horizon alone is more than a window allows", errors["history"][0]);
    }

    [Fact]
    public async Task A_trailing_gaps_fill_beyond_a_window_is_a_400_naming_the_gap()
    {
        // 6 values a window, horizon 3: 4 trailing nulls cost 3 + 6. An opening so had asked the limiter for more than its
        // limit (a 500); an append so had been told to retry (a 429) that no window would ever let through.
        var (factory, client) = await StreamService(6);
        await using var _ = factory;
        var errors = await (await client.PostJsonAsync("/models/live/streams",
            new { seriesId = "s", history = StreamHistory.Select(v => (double?)v).Concat(Enumerable.Repeat((double?)null, 4)) })).ValidationErrorsAsync();
        Assert.Contains("asks for 9 values", Assert.Single(errors["history"]));
        Assert.Contains("fill the trailing gap of 4", errors["history"][0]);

        string id = await OpenStream(client, new { seriesId = "s", history = StreamHistory });
        var appended = await (await client.PostJsonAsync($"/streams/{id}/observations", new { values = new double?[4] })).ValidationErrorsAsync();
        Assert.Contains("fill the trailing gap of 4", Assert.Single(appended["values"]));
        var stream = await client.GetFromJsonAsync<JsonElement>($"/streams/{id}");
        Assert.Equal(StreamHistory.Length, stream.GetProperty("length").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"/streams/{id}/observations", new { values = new[] { 0.5 } })).StatusCode);
    }

    [Fact]
    public async Task Classified_sequences_count_against_the_forecast_values()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:ForecastPointPermits"] = "5",
            ["RateLimits:ForecastWindowSeconds"] = "3600",
        });
        var client = factory.CreateClient();
        await client.TrainAsync("labels", ClassificationFixture.Request(LstmService.TestSupport.NottemWindows.Before1936.Take(40), epochs: 2));
        object Sequences(int n) => new { sequences = Enumerable.Range(0, n).Select(_ => new { values = Api.Sine(12) }).ToArray() };
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/labels/classify", Sequences(3))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/models/labels/classify", Sequences(2))).StatusCode);
        await (await client.PostJsonAsync("/models/labels/classify", Sequences(1))).ProblemAsync(HttpStatusCode.TooManyRequests);
        var errors = await (await client.PostJsonAsync("/models/labels/classify", Sequences(6))).ValidationErrorsAsync();
        Assert.Contains("asks for 6 values", Assert.Single(errors["sequences"]));
    }

    [Fact]
    public async Task The_default_submit_limit_lets_120_submits_a_minute_through_and_refuses_the_next()
    {
        // The configuration's own default (the factory switches the limit off for the other tests): a client that trains
        // one model per short series submits about one a second; 120 a minute pass, the 121st is refused.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["RateLimits:TrainingSubmitPermits"] = null });
        var client = factory.CreateClient();
        for (int i = 0; i < 120; i++)
        {
            var body = new StringContent("""{"series":[]}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/models/m{i}/training-jobs", body)).StatusCode);
        }
        var refused = await client.PostAsync("/models/m120/training-jobs", new StringContent("""{"series":[]}""", Encoding.UTF8, "application/json"));
        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("RateLimits:TrainingSubmitPermits", problem.GetProperty("detail").GetString());
        // Without keys the limit counts by address, and says so.
        Assert.Contains("per client address", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_keys_the_limit_applies_per_client_address()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["RateLimits:ForecastPermits"] = "1" });
        var client = factory.CreateClient();
        var body = new StringContent("""{"series":[{"history":[1,2,3]}]}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/models/none/forecast", body)).StatusCode);
        await (await client.PostAsync("/models/none/forecast", body)).ProblemAsync(HttpStatusCode.TooManyRequests);
    }
}

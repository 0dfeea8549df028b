using System.Net;
using System.Text;
using System.Text.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>Two small trained models: "plain" (a sine around 10, no transform) and "logged" (the same sine, explicitly on the log scale).</summary>
public sealed class SeriesIdAndScaleFixture : ServiceFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.TrainAsync("plain", Api.TinyTraining(epochs: 2));
        await Client.TrainAsync("logged", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(80) } },
            inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, ensemble = 1, transform = "log",
        });
    }
}

/// <summary>
/// Series ids (bounded, distinct within a training job or a CSV), values a log-scale version cannot take, and histories
/// far out of a version's scale: each a 400 naming the field, and the stored versions still forecast afterwards.
/// </summary>
public sealed class SeriesIdAndScaleTests(SeriesIdAndScaleFixture fixture) : IClassFixture<SeriesIdAndScaleFixture>
{
    private readonly HttpClient _client = fixture.Client;

    private static object Training(params string?[] ids) => new
    {
        series = ids.Select(id => new { id, values = Api.Sine(40) }).ToArray(),
        inputWindow = 4, horizon = 1, epochs = 1,
    };

    [Fact]
    public async Task Two_training_series_of_one_id_are_refused_naming_the_second()
    {
        var errors = await (await _client.PostJsonAsync("/models/twins/training-jobs", Training("a", "b", "a"))).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "series[2].id").Value[0];
        Assert.Contains("series[0]", message);
        Assert.DoesNotContain("series[1].id", errors.Keys);
        // Series without ids are as many as they like.
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostJsonAsync("/models/twins/training-jobs", Training(null, null))).StatusCode);
    }

    [Theory]
    [InlineData(201)]
    [InlineData(0)]
    public async Task A_training_id_out_of_bounds_is_refused(int length)
    {
        var errors = await (await _client.PostJsonAsync("/models/long-id/training-jobs", Training(new string('x', length)))).ValidationErrorsAsync();
        Assert.Contains("200 characters", Assert.Single(errors, e => e.Key == "series[0].id").Value[0]);
        // Characters, as the rule counts them: 201 emoji are 402 UTF-16 units.
        errors = await (await _client.PostJsonAsync("/models/long-id/training-jobs", Training(string.Concat(Enumerable.Repeat("\U0001F4C8", 201))))).ValidationErrorsAsync();
        Assert.EndsWith("got 201 characters.", Assert.Single(errors, e => e.Key == "series[0].id").Value[0]);
        errors = await (await _client.PostJsonAsync("/models/long-id/training-jobs", Training("line\nbreak"))).ValidationErrorsAsync();
        Assert.Contains("control", Assert.Single(errors, e => e.Key == "series[0].id").Value[0]);
    }

    [Fact]
    public async Task A_training_id_with_white_space_at_either_end_is_refused_but_still_echoed_by_forecasts_of_a_version_without_ids()
    {
        // "a" and "a " had trained as two series, and "   " as an id (a QA pass); inside an id, white space is fine.
        var errors = await (await _client.PostJsonAsync("/models/spaced/training-jobs", Training("a", "a ", "   ", " b"))).ValidationErrorsAsync();
        Assert.Equal(["series[1].id", "series[2].id", "series[3].id"], errors.Keys.Order());
        Assert.Equal("Must not begin or end with white space: 'a ' would be another series than 'a' (a CSV's ids are trimmed).", errors["series[1].id"][0]);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostJsonAsync("/models/spaced/training-jobs", Training("store a", "store b"))).StatusCode);
        // A version that keeps nothing by id (no dates, no series' own weights) only echoes a forecast's id: "x " passes, as
        // before the rule. One that keeps series by id refuses it unless it trained one of exactly that id (PerSeriesIntervalTests).
        var echoed = await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { id = "x ", history = Api.Sine(12) } } });
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Contains("\"id\":\"x \"", await echoed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_forecast_id_out_of_bounds_is_refused()
    {
        var body = new { series = new[] { new { id = new string('x', 201), history = Api.Sine(12) } } };
        var errors = await (await _client.PostJsonAsync("/models/plain/forecast", body)).ValidationErrorsAsync();
        Assert.Equal(["series[0].id"], errors.Keys);
        var fine = new { series = new[] { new { id = new string('x', 200), history = Api.Sine(12) } } };
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/models/plain/forecast", fine)).StatusCode);
        // Characters, not UTF-16 units: 200 emoji (400 units) pass, 201 do not.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F4C8", 200));
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { id = emoji, history = Api.Sine(12) } } })).StatusCode);
        errors = await (await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { id = emoji + "x", history = Api.Sine(12) } } })).ValidationErrorsAsync();
        Assert.EndsWith("got 201 characters.", Assert.Single(errors["series[0].id"]));
    }

    [Fact]
    public async Task Two_forecast_series_of_one_id_are_answered_in_order()
    {
        // A what-if: one series under two futures. Each answer carries the id, in the request's order.
        var body = new { series = new[] { new { id = "a", history = Api.Sine(12) }, new { id = "a", history = Api.Sine(14) } } };
        var response = await _client.PostJsonAsync("/models/plain/forecast", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forecasts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("forecasts");
        Assert.Equal(["a", "a"], forecasts.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.NotEqual(forecasts[0].GetProperty("mean").GetRawText(), forecasts[1].GetProperty("mean").GetRawText());
    }

    [Fact]
    public async Task A_CSV_with_two_columns_of_one_header_is_refused_naming_the_column()
    {
        var csv = new StringBuilder("date,a,b,a\n");
        for (var t = 0; t < 40; t++) csv.Append($"{2000 + t},{t},{t + 1},{t + 2}\n");
        var errors = await (await _client.PostCsvAsync("csv-twins", csv.ToString(), ("horizon", "1"), ("inputWindow", "4"))).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "file").Value[0];
        Assert.Contains("column 4", message);
        Assert.Contains("column 2", message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(1e-50)] // positive, but 0 as the 32-bit float it is read as
    public async Task A_log_scale_version_refuses_a_value_without_a_logarithm(double bad)
    {
        var history = Api.Sine(12).Select(v => (double?)v).ToArray();
        history[7] = bad;
        var errors = await (await _client.PostJsonAsync("/models/logged/forecast", new { series = new[] { new { history } } })).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "series[0].history[7]").Value[0];
        Assert.Contains("log scale", message);
        // What to do about a series that can reach zero: train it without the log scale training picked by itself.
        Assert.Contains("\"transform\": \"none\"", message);
        // A stream's opening and its appends say the same.
        errors = await (await _client.PostJsonAsync("/models/logged/streams", new { seriesId = "s", history })).ValidationErrorsAsync();
        Assert.Contains("log scale", Assert.Single(errors, e => e.Key == "history[7]").Value[0]);
        var opened = await _client.PostJsonAsync("/models/logged/streams", new { seriesId = "s", history = Api.Sine(12) });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var stream = (await opened.ReadAsync<JsonElement>()).GetProperty("id").GetString();
        errors = await (await _client.PostJsonAsync($"/streams/{stream}/observations", new { values = new[] { 10.0, bad } })).ValidationErrorsAsync();
        Assert.Contains("\"transform\": \"none\"", Assert.Single(errors, e => e.Key == "values[1]").Value[0]);
        // A missing value instead is fine, and the version is as it was.
        history[7] = null;
        var ok = await _client.PostJsonAsync("/models/logged/forecast", new { series = new[] { new { history } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var mean = (await ok.ReadAsync<JsonElement>()).GetProperty("forecasts")[0].GetProperty("mean");
        Assert.All(mean.EnumerateArray(), m => Assert.InRange(m.GetDouble(), 1, 100));
    }

    [Fact]
    public async Task A_log_transform_asked_for_on_a_series_with_a_negative_value_is_refused()
    {
        var values = Api.Sine(40);
        values[5] = -1;
        var body = new { series = new[] { new { values } }, inputWindow = 4, horizon = 1, epochs = 1, transform = "log" };
        var errors = await (await _client.PostJsonAsync("/models/neg-log/training-jobs", body)).ValidationErrorsAsync();
        Assert.Contains("series[0].values[5]", Assert.Single(errors, e => e.Key == "transform").Value[0]);
    }

    [Fact]
    public async Task A_history_far_out_of_scale_is_the_callers_400_not_a_500()
    {
        // Finite values whose step (6e38) is beyond 32-bit floats.
        var history = Api.Sine(12);
        history[^2] = -3e38;
        history[^1] = 3e38;
        var response = await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { history = Api.Sine(12) }, new { history } } });
        var message = Assert.Single((await response.ValidationErrorsAsync()), e => e.Key == "series[1].history").Value[0];
        Assert.Contains("3E+38", message);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostJsonAsync("/models/plain/forecast", new { series = new[] { new { history = Api.Sine(12) } } })).StatusCode);
    }

    [Fact]
    public async Task Training_on_a_value_far_out_of_scale_fails_saying_so()
    {
        var values = Api.Sine(60);
        values[^1] = 3e38;
        var job = await _client.SubmitAsync("spike", new { series = new[] { new { values } }, inputWindow = 12, horizon = 3, hiddenSize = 4, epochs = 2, ensemble = 1 });
        var done = await _client.WaitForEndAsync(job.Id);
        Assert.Equal(TrainingJobStatus.Failed, done.Status);
        Assert.Contains("out of scale", done.Error);
        Assert.DoesNotContain("learning rate", done.Error);
    }

    [Fact]
    public async Task Training_values_further_apart_than_a_float_holds_are_refused_up_front()
    {
        // Each a float, but 4e38 apart: the job used to be queued and fail at its first epoch advising a lower learning rate.
        var values = Api.Sine(60);
        values[10] = 2e38;
        values[11] = -1.9e38;
        var response = await _client.PostJsonAsync("/models/too-wide/training-jobs", new { series = new[] { new { values } }, inputWindow = 12, horizon = 3, epochs = 1 });
        var message = Assert.Single(await response.ValidationErrorsAsync(), e => e.Key == "series[0].values[10]").Value[0];
        Assert.Contains("series[0].values[11]", message);
        Assert.DoesNotContain("(Parameter", message);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/models/too-wide")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>Bad training and forecast requests, unknown resources and size limits: each a ProblemDetails naming what is wrong.</summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private readonly HttpClient _client = fixture.Client;

    // ---- training requests ----

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("1e400")]
    public async Task NaN_or_Infinity_in_training_values_names_the_value(string literal)
    {
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values(literal)}}]}],"inputWindow":4,"horizon":1}""")).ValidationErrorsAsync();
        Assert.Contains("NaN", Assert.Single(errors, e => e.Key == "series[0].values[3]").Value[0]);
    }

    [Fact]
    public async Task Empty_series_list_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = Array.Empty<object>() })).ValidationErrorsAsync();
        Assert.Contains("series", errors.Keys);
        errors = await (await fixture.PostRaw("/models/m/training-jobs", "{}")).ValidationErrorsAsync();
        Assert.Contains("series", errors.Keys);
    }

    [Fact]
    public async Task A_series_without_values_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = Api.Sine(40) }, new { values = Array.Empty<double>() } } })).ValidationErrorsAsync();
        Assert.Equal(["series[1].values"], errors.Keys);
    }

    [Fact]
    public async Task A_null_series_is_named_itself()
    {
        // A null entry had been blamed on a field it does not have (series[1].values, series[0].history).
        var values = string.Join(",", Api.Sine(40).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var training = await (await fixture.PostRaw("/models/m/training-jobs", "{\"series\":[{\"values\":[" + values + "]},null]}")).ValidationErrorsAsync();
        Assert.Equal("Must be a series object ({\"values\": [...]}), not null.", Assert.Single(training, e => e.Key == "series[1]").Value.Single());
        Assert.DoesNotContain("series[1].values", training.Keys);
        var forecast = await (await fixture.PostRaw("/models/tiny/forecast", "{\"series\":[null]}")).ValidationErrorsAsync();
        Assert.Equal(["series[0]"], forecast.Keys);
        Assert.StartsWith("Must be a series object ({\"history\": [...]})", forecast["series[0]"].Single());
    }

    [Fact]
    public async Task A_too_short_series_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = Api.Sine(20) } }, inputWindow = 16, horizon = 6 })).ValidationErrorsAsync();
        Assert.Contains("Too short", Assert.Single(errors, e => e.Key == "series[0].values").Value[0]);
    }

    [Fact]
    public async Task A_mostly_missing_series_is_rejected()
    {
        var values = Api.Sine(100).Select((v, i) => i % 3 == 0 ? (double?)v : null).ToArray();
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values } }, inputWindow = 4, horizon = 1 })).ValidationErrorsAsync();
        Assert.Contains("missing", Assert.Single(errors, e => e.Key == "series[0].values").Value[0]);
    }

    [Theory]
    [InlineData("inputWindow", -1)]
    [InlineData("inputWindow", 1)]
    [InlineData("inputWindow", 1025)]
    [InlineData("horizon", 0)]
    [InlineData("horizon", 366)]
    [InlineData("hiddenSize", 0)]
    [InlineData("hiddenSize", 1025)]
    [InlineData("layers", 0)]
    [InlineData("layers", 9)]
    [InlineData("dropout", -0.1)]
    [InlineData("dropout", 1.0)]
    [InlineData("epochs", 0)]
    [InlineData("epochs", BadInputFixture.MaxEpochs + 1)]
    [InlineData("batchSize", 0)]
    [InlineData("batchSize", 4097)]
    [InlineData("learningRate", 0.0)]
    [InlineData("learningRate", 1.5)]
    [InlineData("weightDecay", 1.0)]
    [InlineData("validationFraction", -0.1)]
    [InlineData("validationFraction", 0.6)]
    [InlineData("patience", 0)]
    [InlineData("patience", 1001)]
    [InlineData("seasonLength", -1)]
    [InlineData("seasonLength", 1001)]
    [InlineData("ensemble", 0)]
    [InlineData("ensemble", 11)]
    public async Task Hyperparameters_outside_their_bounds_are_named(string field, double value)
    {
        var json = $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"{{field}}":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""";
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", json)).ValidationErrorsAsync();
        Assert.Contains(field, errors.Keys);
        // A bound an operator sets is named, so a client can tell it from the API's own.
        if (field == "epochs")
            Assert.Equal(value > 1 ? $"Must be in 1..{BadInputFixture.MaxEpochs} (TrainingQueue:MaxEpochs); got {value}." : $"Must be in 1..{BadInputFixture.MaxEpochs}; got {value}.",
                Assert.Single(errors[field]));
    }

    [Theory]
    [InlineData("strategy", "\"sideways\"")]
    [InlineData("strategy", "7")]
    [InlineData("scaling", "9")]
    [InlineData("highway", "\"yes\"")]
    [InlineData("futureCovariates", "\"temp\"")]
    [InlineData("statistics", "\"yes\"")]
    [InlineData("nonNegative", "1")]
    public async Task New_options_of_the_wrong_type_or_value_are_named(string field, string literal)
    {
        var json = $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"{{field}}":{{literal}}}""";
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", json)).ValidationErrorsAsync();
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    // Settings that would change nothing had been accepted in silence (a QA pass).
    [InlineData("\"dropout\":0.5", "dropout", "Acts between recurrent layers, and this network has one (layers is 1): set layers to 2 or more, or leave dropout out.")]
    [InlineData("\"dropout\":0.5,\"layers\":1", "dropout", "Acts between recurrent layers")]
    [InlineData("\"searchFolds\":5", "searchFolds", "Only read by the hyperparameter search: set search to true, or leave searchFolds out.")]
    [InlineData("\"searchFolds\":3,\"search\":false", "searchFolds", "Only read by the hyperparameter search")]
    public async Task Settings_that_would_change_nothing_are_named(string fields, string field, string expected)
    {
        var json = $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],{{fields}}}""";
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", json)).ValidationErrorsAsync();
        Assert.StartsWith(expected, Assert.Single(errors[field]));
        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("\"dropout\":0.5,\"layers\":2")]
    [InlineData("\"dropout\":0.5,\"search\":true")]
    [InlineData("\"dropout\":0")]
    [InlineData("\"searchFolds\":2,\"search\":true")]
    public async Task The_same_settings_where_they_act_are_taken(string fields)
    {
        // Queued (202), then cancelled: the job is not what is tested, and the fixture's other tests share its worker.
        var json = $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"epochs":1,{{fields}}}""";
        var response = await fixture.PostRaw("/models/settings-taken/training-jobs", json);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await response.Content.ReadFromJsonAsync<TrainingJobResponse>(Api.Json);
        await _client.PostAsync($"/training-jobs/{job!.Id}/cancel", null);
    }

    [Fact]
    public async Task A_season_no_series_holds_once_is_refused()
    {
        // 40 values and a season of 500 had trained a version that reported season 500 and used none.
        var errors = await (await _client.PostJsonAsync("/models/long-season/training-jobs", new { series = new[] { new { values = Api.Sine(40) } }, seasonLength = 500, horizon = 2 })).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "seasonLength").Value.Single();
        Assert.Contains("the longest has 40", message);
        errors = await (await _client.PostJsonAsync("/models/long-season/training-jobs", new { series = new[] { new { values = Api.Sine(40) } }, seasonLength = 40, horizon = 2 })).ValidationErrorsAsync();
        Assert.Contains("seasonLength", errors.Keys);
        Assert.Empty(await _client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs?model=long-season", Api.Json) ?? []);
    }

    [Fact]
    public async Task An_ensemble_too_wide_for_one_merged_network_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = Api.Sine(40) } }, hiddenSize = 1024, ensemble = 9 })).ValidationErrorsAsync();
        Assert.Contains("8192", Assert.Single(errors, e => e.Key == "ensemble").Value[0]);
    }

    [Fact]
    public async Task A_series_too_short_for_an_automatic_window_is_rejected()
    {
        // inputWindow omitted: the kernel needs a window of at least 2 plus the horizon.
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = Api.Sine(7) } }, horizon = 6 })).ValidationErrorsAsync();
        var message = Assert.Single(errors, e => e.Key == "series[0].values").Value[0];
        Assert.Contains("Too short", message);
        Assert.Contains("8", message);
        // Missing values don't count as observed.
        var gappy = Api.Sine(8).Select((v, i) => i == 4 ? (double?)null : v).ToArray();
        errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = gappy } }, horizon = 6, inputWindow = 0 })).ValidationErrorsAsync();
        Assert.Contains("Too short", Assert.Single(errors, e => e.Key == "series[0].values").Value[0]);
    }

    [Fact]
    public async Task Bad_quantiles_are_named_by_index()
    {
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series = new[] { new { values = Api.Sine(40) } }, quantiles = new[] { 0.0, 0.5, 0.5, 1.2 } })).ValidationErrorsAsync();
        Assert.Equal(["quantiles[0]", "quantiles[2]", "quantiles[3]"], errors.Keys.Order());
    }

    [Fact]
    public async Task Too_many_series_are_rejected()
    {
        var series = Enumerable.Range(0, BadInputFixture.MaxSeries + 1).Select(_ => new { values = Api.Sine(40) }).ToArray();
        var errors = await (await _client.PostJsonAsync("/models/m/training-jobs", new { series, inputWindow = 4 })).ValidationErrorsAsync();
        Assert.Contains("At most 5 series", Assert.Single(errors, e => e.Key == "series").Value[0]);
    }

    [Fact]
    public async Task Unknown_fields_and_wrong_types_are_named()
    {
        var errors = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"hidden_size":8}""")).ValidationErrorsAsync();
        Assert.Equal(["hidden_size"], errors.Keys);
        errors = await (await fixture.PostRaw("/models/m/training-jobs", $$"""{"series":[{"values":[{{BadInputFixture.Values("1")}}]}],"epochs":"many"}""")).ValidationErrorsAsync();
        Assert.Equal(["epochs"], errors.Keys);
        errors = await (await fixture.PostRaw("/models/m/training-jobs", """{"series":[{"values":[1,2""")).ValidationErrorsAsync();
        Assert.Single(errors);
        errors = await (await fixture.PostRaw("/models/m/training-jobs", "null")).ValidationErrorsAsync();
        Assert.Equal(["body"], errors.Keys);
    }

    [Theory]
    [InlineData("bad%20name")]
    [InlineData("-starts-with-dash")]
    [InlineData("%C3%A9t%C3%A9")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Unsafe_model_names_are_rejected(string name)
    {
        var errors = await (await _client.PostJsonAsync($"/models/{name}/training-jobs", Api.TinyTraining())).ValidationErrorsAsync();
        Assert.Equal(["name"], errors.Keys);
    }

    [Theory]
    [InlineData("GET", "/models/tiny/versions/0")]
    [InlineData("GET", "/models/tiny/versions/-1")]
    [InlineData("DELETE", "/models/tiny/versions/0")]
    [InlineData("GET", "/models/tiny/versions/-3/weights")]
    [InlineData("GET", "/models/tiny/versions/0/monitoring")]
    [InlineData("POST", "/models/tiny/forecast?version=0")]
    [InlineData("POST", "/models/tiny/classify?version=-1")]
    [InlineData("POST", "/models/tiny/streams?version=0")]
    public async Task A_version_number_below_1_is_named_not_looked_up(string method, string url)
    {
        // They had answered 404 "no version -1", where abc answered 400 saying what a version number is.
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Content = url.Contains("/forecast") ? JsonContent.Create(new { series = new[] { new { history = Api.Sine(12) } } })
            : url.Contains("/classify") ? JsonContent.Create(new { sequences = new[] { new { values = Api.Sine(12) } } })
            : url.Contains("/streams") ? JsonContent.Create(new { seriesId = "s", history = Api.Sine(12) })
            : null;
        var errors = await (await _client.SendAsync(request)).ValidationErrorsAsync();
        Assert.Equal("version", Assert.Single(errors.Keys));
        Assert.StartsWith("Must be a version number, a whole number from 1 to 2147483647", errors["version"].Single());
    }

    [Fact]
    public async Task A_bad_query_value_is_named()
    {
        var errors = await (await _client.GetAsync("/training-jobs?status=bogus")).ValidationErrorsAsync();
        Assert.Equal(["status"], errors.Keys);
        // A list had been read as flags: running,succeeded (1 | 2) answered the failed jobs.
        foreach (var query in new[] { "status=running,succeeded", "status=succeeded&status=failed" })
            Assert.StartsWith("One status only", Assert.Single((await (await _client.GetAsync($"/training-jobs?{query}")).ValidationErrorsAsync())["status"]));
        // A number out of range says the range, not just that it is invalid.
        errors = await (await _client.PostJsonAsync("/models/tiny/forecast?version=99999999999", new { series = new[] { new { history = Api.Sine(12) } } })).ValidationErrorsAsync();
        Assert.Equal("Must be a version number, a whole number from 1 to 2147483647, not '99999999999'.", Assert.Single(errors["version"]));
        // A model name no model can have is named too, not answered with an empty list.
        errors = await (await _client.GetAsync("/training-jobs?model=a%20b")).ValidationErrorsAsync();
        Assert.Equal(["model"], errors.Keys);
    }

    // ---- forecast requests ----

    [Fact]
    public async Task A_history_shorter_than_the_input_window_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/tiny/forecast", new { series = new[] { new { history = Api.Sine(12) }, new { history = Api.Sine(11) } } })).ValidationErrorsAsync();
        Assert.Contains("inputWindow is 12", Assert.Single(errors, e => e.Key == "series[1].history").Value[0]);
    }

    [Fact]
    public async Task A_forecast_horizon_beyond_the_model_is_rejected()
    {
        var errors = await (await _client.PostJsonAsync("/models/tiny/forecast", new { series = new[] { new { history = Api.Sine(12) } }, horizon = 4 })).ValidationErrorsAsync();
        Assert.Equal(["horizon"], errors.Keys);
        errors = await (await _client.PostJsonAsync("/models/tiny/forecast", new { series = new[] { new { history = Api.Sine(12) } }, horizon = 0 })).ValidationErrorsAsync();
        Assert.Equal(["horizon"], errors.Keys);
    }

    [Fact]
    public async Task NaN_in_a_history_and_empty_forecast_requests_are_rejected()
    {
        var errors = await (await fixture.PostRaw("/models/tiny/forecast", $$"""{"series":[{"history":[{{BadInputFixture.Values("\"NaN\"")}}]}]}""")).ValidationErrorsAsync();
        Assert.Contains("series[0].history[3]", errors.Keys);
        errors = await (await _client.PostJsonAsync("/models/tiny/forecast", new { series = Array.Empty<object>() })).ValidationErrorsAsync();
        Assert.Equal(["series"], errors.Keys);
        errors = await (await _client.PostJsonAsync("/models/tiny/forecast?version=1&alias=x", new { series = new[] { new { history = Api.Sine(12) } } })).ValidationErrorsAsync();
        Assert.Equal(["alias"], errors.Keys);
    }

    // ---- unknown resources ----

    [Theory]
    [InlineData("GET", "/models/nope")]
    [InlineData("DELETE", "/models/nope")]
    [InlineData("GET", "/models/tiny/versions/99")]
    [InlineData("DELETE", "/models/tiny/versions/99")]
    [InlineData("GET", "/models/tiny/versions/99/weights")]
    [InlineData("GET", "/models/nope/versions/1/weights")]
    [InlineData("DELETE", "/models/tiny/aliases/nope")]
    [InlineData("GET", "/training-jobs/6f1c1d3e-0000-4000-8000-000000000000")]
    [InlineData("GET", "/training-jobs/6f1c1d3e-0000-4000-8000-000000000000/events")]
    [InlineData("POST", "/training-jobs/6f1c1d3e-0000-4000-8000-000000000000/cancel")]
    [InlineData("GET", "/no/such/route")]
    public async Task Unknown_resources_are_404_problems(string method, string url)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/models/nope/forecast")]
    [InlineData("/models/tiny/forecast?version=99")]
    [InlineData("/models/tiny/forecast?alias=nope")]
    public async Task Forecasts_of_unknown_models_versions_or_aliases_are_404(string url)
    {
        var response = await _client.PostJsonAsync(url, new { series = new[] { new { history = Api.Sine(12) } } });
        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Aliasing_an_unknown_version_is_404()
    {
        await (await _client.PutAsync("/models/tiny/aliases/prod", JsonBody(new { version = 99 }))).ProblemAsync(HttpStatusCode.NotFound);
        await (await _client.PutAsync("/models/nope/aliases/prod", JsonBody(new { version = 1 }))).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task An_alias_to_a_version_number_no_model_can_have_is_400_naming_version(int version)
    {
        var errors = await (await _client.PutAsync("/models/tiny/aliases/prod", JsonBody(new { version }))).ValidationErrorsAsync();
        Assert.Equal($"Must be a version number, a whole number from 1 to {int.MaxValue}, not '{version}'.", Assert.Single(Assert.Single(errors, e => e.Key == "version").Value));
    }

    // ---- size limits ----

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_content_length()
    {
        var big = new { series = new[] { new { values = Api.Sine(20_000) } } };
        var json = System.Text.Json.JsonSerializer.Serialize(big, Api.Json);
        Assert.True(json.Length > BadInputFixture.MaxBodyBytes);

        var withLength = await fixture.PostRaw("/models/m/training-jobs", json);
        Assert.Contains("limit", (await withLength.ProblemAsync(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString());

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new("application/json");
        chunked.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/models/m/training-jobs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await (await _client.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        // Whichever layer finds the body too large, the answer has one title.
        Assert.Equal("Request body too large", streamed.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_csv_upload_over_the_limit_is_413_with_or_without_content_length()
    {
        var csv = "year,value\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"{1000 + i},{i % 97}.5\n"));
        Assert.True(csv.Length > BadInputFixture.MaxBodyBytes);

        var withLength = await (await _client.PostCsvAsync("m", csv, ("horizon", "1"))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("limit", withLength.GetProperty("detail").GetString());

        var form = new MultipartFormDataContent { { new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(csv))), "file", "big.csv" } };
        await form.LoadIntoBufferAsync();
        form.Headers.ContentLength = null;
        var request = new HttpRequestMessage(HttpMethod.Post, "/models/m/training-jobs") { Content = form };
        request.Headers.TransferEncodingChunked = true;
        var streamed = await (await _client.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Request body too large", streamed.GetProperty("title").GetString());
        Assert.Equal("Request body too large", withLength.GetProperty("title").GetString());
    }

    private static StringContent JsonBody(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, Api.Json), Encoding.UTF8, "application/json");
}

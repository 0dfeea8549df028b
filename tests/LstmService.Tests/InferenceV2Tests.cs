using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LstmService.Forecasts;

namespace LstmService.Tests;

/// <summary>One service with a tiny sine model "sine" (window 12, horizon 3, quantiles 0.1/0.5/0.9, alias "production") and a tiny covariate model "driven".</summary>
public sealed class InferenceV2Fixture : ServiceFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.TrainAsync("sine");
        var alias = await Client.PutAsJsonAsync("/models/sine/aliases/production", new { version = 1 }, Api.Json);
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        await Client.TrainAsync("driven", new
        {
            series = new[] { new { values = Api.Sine(80), covariates = new Dictionary<string, double[]> { ["price"] = Api.Sine(80, 3), ["promo"] = Api.Sine(80, 5) } } },
            futureCovariates = new[] { "promo" },
            inputWindow = 8, horizon = 2, hiddenSize = 4, ensemble = 1, epochs = 2,
        });
    }
}

public sealed class InferenceV2Tests(InferenceV2Fixture fixture) : IClassFixture<InferenceV2Fixture>
{
    private readonly HttpClient _client = fixture.Client;

    private static double[][] Histories(int count, int length) => Enumerable.Range(0, count).Select(i => Api.Sine(length, start: 7 * i)).ToArray();

    private Task<HttpResponseMessage> InferAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> InferAsync(string path, object body) => InferAsync(path, JsonSerializer.Serialize(body));

    private async Task<ForecastResponse> ForecastAsync(string model, object series, int? horizon = null)
    {
        var response = await _client.PostJsonAsync($"/models/{model}/forecast", new { series, horizon });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ForecastResponse>();
    }

    /// <summary>The protocol's error object: exactly {"error": "..."} as JSON with the status given.</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
        return body.GetProperty("error").GetString()!;
    }

    private static float[] Data(JsonElement response, string output) =>
        response.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == output)
            .GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();

    [Fact]
    public async Task Server_metadata_liveness_and_readiness_answer_the_protocols_objects()
    {
        var metadata = await _client.GetFromJsonAsync<JsonElement>("/v2");
        Assert.Equal("lstmservice", metadata.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("version").GetString()));
        Assert.Equal(0, metadata.GetProperty("extensions").GetArrayLength());

        var live = await _client.GetAsync("/v2/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True((await live.ReadAsync<JsonElement>()).GetProperty("live").GetBoolean());
        var ready = await _client.GetAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True((await ready.ReadAsync<JsonElement>()).GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData("/v2/models/sine")]
    [InlineData("/v2/models/sine/versions/1")]
    [InlineData("/v2/models/sine/versions/production")]
    public async Task Model_metadata_lists_versions_and_the_tensors(string path)
    {
        var metadata = await _client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("sine", metadata.GetProperty("name").GetString());
        Assert.Equal(["1"], metadata.GetProperty("versions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("lstmservice_lstm", metadata.GetProperty("platform").GetString());
        static string Tensor(JsonElement t) => $"{t.GetProperty("name").GetString()} {t.GetProperty("datatype").GetString()} [{string.Join(",", t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]";
        Assert.Equal(["history FP32 [-1,-1]", "lengths INT32 [-1]"], metadata.GetProperty("inputs").EnumerateArray().Select(Tensor));
        Assert.Equal(["mean FP32 [-1,3]", "quantile_0.1 FP32 [-1,3]", "quantile_0.5 FP32 [-1,3]", "quantile_0.9 FP32 [-1,3]"],
            metadata.GetProperty("outputs").EnumerateArray().Select(Tensor));
    }

    [Fact]
    public async Task Metadata_names_a_models_covariate_tensors()
    {
        var metadata = await _client.GetFromJsonAsync<JsonElement>("/v2/models/driven");
        Assert.Equal(["history", "lengths", "covariates.price", "covariates.promo", "future_covariates.promo"],
            metadata.GetProperty("inputs").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("/v2/models/nothing", "There is no model 'nothing'.")]
    [InlineData("/v2/models/sine/versions/9", "Model 'sine' has no version 9.")]
    [InlineData("/v2/models/sine/versions/staging", "Model 'sine' has no alias 'staging'.")]
    [InlineData("/v2/models/nothing/ready", "There is no model 'nothing'.")]
    [InlineData("/v2/models/sine/versions/9/ready", "Model 'sine' has no version 9.")]
    public async Task Unknown_models_versions_and_aliases_are_404_errors(string path, string message)
    {
        Assert.Equal(message, await ErrorAsync(await _client.GetAsync(path), HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData("/v2/models/sine/versions/99999999999/ready")] // all digits: a version number out of range, not an alias
    [InlineData("/v2/models/sine/versions/0")]
    public async Task A_version_number_out_of_range_is_a_400_error(string path) =>
        Assert.StartsWith("version: a version number is a whole number from 1", await ErrorAsync(await _client.GetAsync(path), HttpStatusCode.BadRequest));

    [Theory]
    [InlineData("/v2/models/sine/ready")]
    [InlineData("/v2/models/sine/versions/1/ready")]
    [InlineData("/v2/models/sine/versions/production/ready")]
    public async Task A_loadable_version_is_ready(string path)
    {
        var ready = await _client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("sine", ready.GetProperty("name").GetString());
        Assert.True(ready.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Inference_answers_the_forecast_endpoints_numbers_as_tensors()
    {
        var histories = Histories(2, 24);
        // The specification's example request, with this model's tensor: an id, a flat row-major tensor, one output asked for.
        var response = await InferAsync("/v2/models/sine/infer", new
        {
            id = "42",
            inputs = new[] { new { name = "history", shape = new[] { 2, 24 }, datatype = "FP32", data = histories.SelectMany(h => h).ToArray() } },
            outputs = new[] { new { name = "mean" }, new { name = "quantile_0.9" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadAsync<JsonElement>();
        Assert.Equal("sine", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("42", body.GetProperty("id").GetString());
        var outputs = body.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(["mean", "quantile_0.9"], outputs.Select(o => o.GetProperty("name").GetString()));
        foreach (var o in outputs)
        {
            Assert.Equal("FP32", o.GetProperty("datatype").GetString());
            Assert.Equal([2L, 3L], o.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        }

        var expected = await ForecastAsync("sine", histories.Select(h => new { history = h }).ToArray());
        Assert.Equal(expected.Forecasts.SelectMany(f => f.Mean), Data(body, "mean"));
        Assert.Equal(expected.Forecasts.SelectMany(f => f.Quantiles["0.9"]), Data(body, "quantile_0.9"));
        // Every row's forecast really differs: the rows were not mixed up or repeated.
        Assert.NotEqual(Data(body, "mean")[..3], Data(body, "mean")[3..]);
    }

    [Fact]
    public async Task Nested_data_versions_aliases_horizon_and_all_outputs()
    {
        var histories = Histories(2, 20);
        var flat = await InferAsync("/v2/models/sine/infer", new
        {
            inputs = new[] { new { name = "history", shape = new[] { 2, 20 }, datatype = "FP32", data = (object)histories.SelectMany(h => h).ToArray() } },
        });
        var flatBody = await flat.ReadAsync<JsonElement>();
        Assert.False(flatBody.TryGetProperty("id", out _));
        Assert.Equal(["mean", "quantile_0.1", "quantile_0.5", "quantile_0.9"],
            flatBody.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        // An empty list asks for no output in particular: all of them, as KServe's and Triton's servers answer it.
        var none = await InferAsync("/v2/models/sine/infer", new
        {
            inputs = new[] { new { name = "history", shape = new[] { 2, 20 }, datatype = "FP32", data = (object)histories.SelectMany(h => h).ToArray() } },
            outputs = Array.Empty<object>(),
        });
        Assert.Equal(flatBody.GetProperty("outputs").GetRawText(), (await none.ReadAsync<JsonElement>()).GetProperty("outputs").GetRawText());

        foreach (var path in (string[])["/v2/models/sine/versions/1/infer", "/v2/models/sine/versions/production/infer"])
        {
            var nested = await InferAsync(path, new
            {
                inputs = new[] { new { name = "history", shape = new[] { 2, 20 }, datatype = "FP32", data = (object)histories } },
            });
            Assert.Equal(HttpStatusCode.OK, nested.StatusCode);
            var body = await nested.ReadAsync<JsonElement>();
            Assert.Equal("1", body.GetProperty("model_version").GetString());
            Assert.Equal(Data(flatBody, "quantile_0.5"), Data(body, "quantile_0.5"));
        }

        var shorter = await InferAsync("/v2/models/sine/infer", new
        {
            parameters = new { horizon = 2 },
            inputs = new[] { new { name = "history", shape = new[] { 2, 20 }, datatype = "FP32", data = histories } },
        });
        var shortBody = await shorter.ReadAsync<JsonElement>();
        Assert.Equal([2L, 2L], shortBody.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var expected = await ForecastAsync("sine", histories.Select(h => new { history = h }).ToArray(), horizon: 2);
        Assert.Equal(expected.Forecasts.SelectMany(f => f.Mean), Data(shortBody, "mean"));
    }

    [Fact]
    public async Task FP64_data_is_taken_and_rounded_to_FP32()
    {
        var history = Api.Sine(24);
        object Body(string datatype) => new { inputs = new[] { new { name = "history", shape = new[] { 1, 24 }, datatype, data = history } } };
        var fp64 = await InferAsync("/v2/models/sine/infer", Body("FP64"));
        Assert.Equal(HttpStatusCode.OK, fp64.StatusCode);
        var fp32 = await (await InferAsync("/v2/models/sine/infer", Body("FP32"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Data(fp32, "mean"), Data(await fp64.Content.ReadFromJsonAsync<JsonElement>(), "mean"));
    }

    [Fact]
    public async Task Null_marks_a_missing_value_and_lengths_trim_padded_rows()
    {
        double?[] gappy = Api.Sine(24).Select(v => (double?)v).ToArray();
        gappy[20] = null;
        double?[] shortRow = [.. Api.Sine(15, start: 3).Select(v => (double?)v), .. Enumerable.Repeat<double?>(0, 9)];
        var response = await InferAsync("/v2/models/sine/infer", new
        {
            inputs = new object[]
            {
                new { name = "history", shape = new[] { 2, 24 }, datatype = "FP32", data = new[] { gappy, shortRow } },
                new { name = "lengths", shape = new[] { 2 }, datatype = "INT32", data = new[] { 24, 15 } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await ForecastAsync("sine", new object[] { new { history = gappy }, new { history = shortRow[..15] } });
        Assert.Equal(expected.Forecasts.SelectMany(f => f.Mean), Data(await response.ReadAsync<JsonElement>(), "mean"));
        // The padding was not read: the same row with its padding forecast differently.
        var padded = await ForecastAsync("sine", new object[] { new { history = shortRow } });
        Assert.NotEqual(expected.Forecasts[1].Mean, padded.Forecasts[0].Mean);
    }

    [Fact]
    public async Task Covariate_tensors_feed_the_models_covariates()
    {
        var y = Api.Sine(30);
        var price = Api.Sine(30, 3);
        var promo = Api.Sine(30, 5);
        var response = await InferAsync("/v2/models/driven/infer", new
        {
            inputs = new object[]
            {
                new { name = "history", shape = new[] { 1, 30 }, datatype = "FP32", data = y },
                new { name = "covariates.price", shape = new[] { 1, 30 }, datatype = "FP32", data = price },
                new { name = "covariates.promo", shape = new[] { 1, 30 }, datatype = "FP32", data = promo },
                new { name = "future_covariates.promo", shape = new[] { 1, 2 }, datatype = "FP32", data = new[] { 3.0, -3.0 } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await ForecastAsync("driven", new[]
        {
            new
            {
                history = y,
                covariates = new Dictionary<string, double[]> { ["price"] = price, ["promo"] = promo },
                futureCovariates = new Dictionary<string, double[]> { ["promo"] = [3.0, -3.0] },
            },
        });
        Assert.Equal(expected.Forecasts[0].Mean, Data(await response.ReadAsync<JsonElement>(), "mean"));

        var missing = await InferAsync("/v2/models/driven/infer", new
        {
            inputs = new object[] { new { name = "history", shape = new[] { 1, 30 }, datatype = "FP32", data = y } },
        });
        Assert.Contains("covariates.price[0]: Required", await ErrorAsync(missing, HttpStatusCode.BadRequest));

        // A covariate tensor for a model without covariates is named as the tensor it is, not as series[0].covariates.
        var unread = await InferAsync("/v2/models/sine/infer", new
        {
            inputs = new object[]
            {
                new { name = "history", shape = new[] { 1, 30 }, datatype = "FP32", data = y },
                new { name = "covariates.price", shape = new[] { 1, 30 }, datatype = "FP32", data = price },
            },
        });
        Assert.Contains("covariates.price[0]: This version was trained without covariates", await ErrorAsync(unread, HttpStatusCode.BadRequest));
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        // The specification's own example request: its inputs are not this model's.
        { """{"id":"42","inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","data":[1,2,3,4]},{"name":"input1","shape":[3],"datatype":"BOOL","data":[true]}],"outputs":[{"name":"output0"}]}""",
            "unknown input 'input0'" },
        { """{"inputs":[{"name":"history","shape":[1,24],"datatype":"UINT32","data":[1,2,3]}]}""", "history: datatype must be FP32 (or FP64, rounded to FP32); got UINT32." },
        { """{"inputs":[{"name":"history","shape":[2,12],"datatype":"FP32","data":[1,2,3]}]}""", "history: shape [2, 12] holds 24 elements, but data has 3." },
        { """{"inputs":[{"name":"history","shape":[24],"datatype":"FP32","data":[1,2,3]}]}""", "history: shape must be [batch, length]" },
        // Elements are named [row][column] like the forecast's own errors, whether data is flat or nested.
        { """{"inputs":[{"name":"history","shape":[1,3],"datatype":"FP32","data":[1,"a",3]}]}""", "history[0][1]: must be a number or null (a missing value); got a string." },
        { """{"inputs":[{"name":"history","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,{}]]}]}""", "history[1][2]: must be a number or null (a missing value); got an object." },
        { """{"inputs":[{"name":"history","shape":[1,2],"datatype":"FP32","data":[1,2,true]}]}""", "history: element 2 of data: must be a number or null" },
        // Nesting must be the shape's: rows of the shape's length, as many as it says, nothing deeper or mixed.
        { """{"inputs":[{"name":"history","shape":[1,4],"datatype":"FP32","data":[[1,2],[3,4]]}]}""", "history: data nested by row must hold the shape's 1 rows of 4 ([1, 4]); it holds 2 elements." },
        { """{"inputs":[{"name":"history","shape":[2,3],"datatype":"FP32","data":[[1,2],[3,4],[5,6]]}]}""", "history: data nested by row must hold the shape's 2 rows of 3" },
        { """{"inputs":[{"name":"history","shape":[2,2],"datatype":"FP32","data":[[1,2,3],[4]]}]}""", "history[0]: a row of shape [2, 2] holds 2 elements; this one holds 3." },
        { """{"inputs":[{"name":"history","shape":[3,2],"datatype":"FP32","data":[1,[2,3],4]}]}""", "history: data mixes numbers and rows at its top level" },
        { """{"inputs":[{"name":"history","shape":[1,1],"datatype":"FP32","data":[[[1]]]}]}""", "history[0][0]: must be a number or null (a missing value); got an array (nested deeper than [batch, length])." },
        { """{"inputs":[{"name":"history","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""", "history[0]: Too short: 3 values, but this version's inputWindow is 12." },
        { """{"inputs":[{"name":"history","shape":[1,2],"datatype":"FP32","data":[1,1e39]}]}""", "history[0][1]: out of the FP32 range." },
        { """{"inputs":[{"name":"history","shape":[1,2],"datatype":"FP32","data":[1,-1e400]}]}""", "history[0][1]: out of the FP32 range." },
        // A shape far larger than its data is refused before any buffer is sized by it.
        { """{"inputs":[{"name":"history","shape":[2000000000,1000000000],"datatype":"FP32","data":[1]}]}""", "history: shape [2000000000, 1000000000] holds more than 2147483647 elements" },
        { """{"inputs":[{"name":"history","shape":[1,2000000000],"datatype":"FP32","data":[1]}]}""", "history: shape [1, 2000000000] holds 2000000000 elements, but data has 1." },
        { $$"""{"parameters":{"horizon":9},"inputs":[{"name":"history","shape":[1,24],"datatype":"FP32","data":[{{string.Join(",", Enumerable.Range(0, 24))}}]}]}""",
            "parameters.horizon: Must be in 1..3 (this version's horizon); got 9." },
        { $$"""{"inputs":[{"name":"history","shape":[1,24],"datatype":"FP32","data":[{{string.Join(",", Enumerable.Range(0, 24))}}]}],"outputs":[{"name":"output0"}]}""",
            "outputs: unknown output(s) 'output0'; this version answers mean, quantile_0.1, quantile_0.5, quantile_0.9." },
        { """{"inputs":[{"name":"history","shape":[2,3],"datatype":"FP32","data":[1,2,3,4,5,6]},{"name":"lengths","shape":[2],"datatype":"INT32","data":[3,4]}]}""",
            "lengths[1]: must be an integer in 1..3" },
        { $$"""{"inputs":[{"name":"history","shape":[1,24],"datatype":"FP32","data":[{{string.Join(",", Enumerable.Range(0, 24))}}]}],"outputs":[{"name":"mean"},{"name":"mean"}]}""",
            "outputs[1].name: 'mean' is asked for twice" },
        { """{"inputs":[]}""", "inputs: required" },
        { """{"input":[]}""", "The body is not a valid $inference_request" },
        { """{"id":"1","id":"2","inputs":[]}""", "The body is not a valid $inference_request: id: Given more than once" },
        { """{"inputs":[],"parameters":{"horizon":1,"horizon":2}}""", "The body is not a valid $inference_request: parameters.horizon: Given more than once" },
        { """{"inputs":[{"name":"history",""", "The body is not a valid $inference_request" },
        { """{"inputs":[],}""", "The body is not a valid $inference_request: body: Trailing commas are not allowed" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_400_errors_naming_the_tensor(string body, string message)
    {
        Assert.Contains(message, await ErrorAsync(await InferAsync("/v2/models/sine/infer", body), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Inference_on_an_unknown_model_or_version_is_a_404_error()
    {
        const string body = """{"inputs":[{"name":"history","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""";
        Assert.Equal("There is no model 'nothing'.", await ErrorAsync(await InferAsync("/v2/models/nothing/infer", body), HttpStatusCode.NotFound));
        Assert.Equal("Model 'sine' has no version 4.", await ErrorAsync(await InferAsync("/v2/models/sine/versions/4/infer", body), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_before_the_handler_like_everywhere()
    {
        // Content negotiation is the service's pipeline, as are 401, 413 and 429: those stay ProblemDetails (README says so),
        // with the protocol's "error" member beside them for its clients.
        var response = await _client.PostAsync("/v2/models/sine/infer", new StringContent("history=1,2,3", Encoding.UTF8, "text/plain"));
        var problem = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(problem.GetProperty("detail").GetString(), problem.GetProperty("error").GetString());
        Assert.Contains("application/json", problem.GetProperty("error").GetString());
        // A path that matches no route on v2 too; the service's own paths keep plain ProblemDetails.
        var unknown = await (await _client.GetAsync("/v2/models/sine/nothing")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(unknown.GetProperty("error").GetString()));
        var own = await (await _client.PostAsync("/models/sine/forecast", new StringContent("x", Encoding.UTF8, "text/plain"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.False(own.TryGetProperty("error", out _));
    }
}

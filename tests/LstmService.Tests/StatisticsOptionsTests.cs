using System.Net;
using System.Text.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>The statistics, transform and nonNegative training options through the API, and what the version reports of them.</summary>
public sealed class StatisticsOptionsTests : ServiceFixture
{
    /// <summary>A quick job on a positive seasonal series (sine, level 10, period 12) plus the given options.</summary>
    private static Dictionary<string, object?> Request(params (string Name, object? Value)[] options)
    {
        var request = new Dictionary<string, object?>
        {
            ["series"] = new[] { new { values = Api.Sine(120) } },
            ["horizon"] = 3,
            ["hiddenSize"] = 4,
            ["ensemble"] = 1,
            ["epochs"] = 3,
        };
        foreach (var (name, value) in options) request[name] = value;
        return request;
    }

    private async Task<JsonElement> TrainedVersionAsync(string model, Dictionary<string, object?> request)
    {
        var job = await Client.TrainAsync(model, request);
        return JsonDocument.Parse(await Client.GetStringAsync($"/models/{model}/versions/{job.Version}")).RootElement;
    }

    [Theory]
    [InlineData("\"sqrt\"")]
    [InlineData("7")]
    [InlineData("true")]
    public async Task A_bad_transform_is_a_400_naming_transform(string literal)
    {
        var json = $$"""{"series":[{"values":[{{string.Join(",", Enumerable.Repeat("1", 40))}}]}],"transform":{{literal}}}""";
        var response = await Client.PostAsync("/models/m/training-jobs", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(["transform"], (await response.ValidationErrorsAsync()).Keys);

        // The CSV form names it too, with the values it takes.
        var form = await Client.PostCsvAsync("m", "y\n" + string.Concat(Enumerable.Repeat("1\n", 40)), ("transform", "sqrt"), ("statistics", "maybe"));
        var errors = await form.ValidationErrorsAsync();
        Assert.Equal(["statistics", "transform"], errors.Keys.Order());
        Assert.Contains("none, log", errors["transform"][0]);
    }

    [Fact]
    public async Task The_options_reach_the_version_as_form_fields_of_a_csv_upload()
    {
        var sine = Api.Sine(60);
        var csv = "y\n" + string.Concat(sine.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + "\n"));
        var response = await Client.PostCsvAsync("form", csv, ("horizon", "3"), ("ensemble", "1"), ("hiddenSize", "4"), ("epochs", "2"),
            ("statistics", "off"), ("transform", "log"), ("nonNegative", "true"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await Client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id);
        Assert.Equal(TrainingJobStatus.Succeeded, done.Status);
        var version = JsonDocument.Parse(await Client.GetStringAsync($"/models/form/versions/{done.Version}")).RootElement;
        var training = version.GetProperty("training");
        Assert.Equal((false, "log", true), (training.GetProperty("statistics").GetBoolean(), training.GetProperty("transform").GetString(), training.GetProperty("nonNegative").GetBoolean()));
        var architecture = version.GetProperty("architecture");
        Assert.Equal(("log", true, JsonValueKind.Null),
            (architecture.GetProperty("transform").GetString(), architecture.GetProperty("nonNegative").GetBoolean(), architecture.GetProperty("statistics").ValueKind));
    }

    [Fact]
    public async Task A_log_transform_on_a_positive_series_shows_in_the_version()
    {
        var version = await TrainedVersionAsync("logged", Request(("transform", "log")));
        Assert.Equal("log", version.GetProperty("architecture").GetProperty("transform").GetString());
        Assert.Equal("log", version.GetProperty("training").GetProperty("transform").GetString());

        var forecast = await Client.PostJsonAsync("/models/logged/forecast", new { series = new[] { new { history = Api.Sine(48) } } });
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);
    }

    [Fact]
    public async Task Without_statistics_the_architecture_has_none()
    {
        var version = await TrainedVersionAsync("plain", Request(("statistics", false), ("transform", "none")));
        var architecture = version.GetProperty("architecture");
        Assert.Equal(JsonValueKind.Null, architecture.GetProperty("statistics").ValueKind);
        Assert.Equal("none", architecture.GetProperty("transform").GetString());
        Assert.False(version.GetProperty("training").GetProperty("statistics").GetBoolean());
    }

    [Fact]
    public async Task By_default_a_seasonal_series_gets_statistics_whose_weights_sum_to_one()
    {
        var version = await TrainedVersionAsync("mixed", Request());
        var training = version.GetProperty("training");
        // Omitted: statistics on, transform and nonNegative chosen from the data (null in the settings, resolved in the architecture).
        Assert.True(training.GetProperty("statistics").GetBoolean());
        Assert.Equal(JsonValueKind.Null, training.GetProperty("transform").ValueKind);
        Assert.Equal(JsonValueKind.Null, training.GetProperty("nonNegative").ValueKind);

        var architecture = version.GetProperty("architecture");
        Assert.Contains(architecture.GetProperty("transform").GetString(), new[] { "none", "log" });
        Assert.True(architecture.GetProperty("nonNegative").GetBoolean()); // no value of the sine (level 10, amplitude 5) is negative
        var statistics = architecture.GetProperty("statistics");
        Assert.Equal(JsonValueKind.Object, statistics.ValueKind);
        Assert.StartsWith("ETS(", statistics.GetProperty("smoothing").GetProperty("name").GetString());
        Assert.True(statistics.GetProperty("smoothing").GetProperty("season").GetInt32() >= 1);
        Assert.True(statistics.GetProperty("thetaSeason").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Array, statistics.GetProperty("autoregressionLags").ValueKind);
        var weights = statistics.GetProperty("weights").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        // The highway is a fifth member when the model has one (the default recipe fits it).
        Assert.Equal(new[] { "network", "exponentialSmoothing", "theta", "autoregression", "highway" }.Take(weights.Count), weights.Keys);
        Assert.InRange(weights.Count, 4, 5);
        Assert.All(weights.Values, w => Assert.InRange(w, 0, 1));
        Assert.Equal(1, weights.Values.Sum(), 3);
        // Calibrated intervals in units of the forecasters' disagreement (the trainer's floor).
        Assert.Equal(1f, statistics.GetProperty("intervalSpread").GetSingle());
    }

    [Fact]
    public async Task The_version_says_whether_its_network_runs()
    {
        // 120 points leave far fewer than 200 training windows: the recipe silences the network; 600 points keep it.
        var shortSeries = await TrainedVersionAsync("short-network", Request());
        Assert.Equal(0f, shortSeries.GetProperty("architecture").GetProperty("statistics").GetProperty("networkScale").GetSingle());
        var longSeries = await TrainedVersionAsync("long-network", Request(("series", new[] { new { values = Api.Sine(600) } })));
        Assert.Equal(1f, longSeries.GetProperty("architecture").GetProperty("statistics").GetProperty("networkScale").GetSingle());
    }
}

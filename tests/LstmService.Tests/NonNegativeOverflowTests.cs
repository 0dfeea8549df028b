using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmService.Tests;

/// <summary>
/// A non-negative version whose forecast overflows to -Infinity answers 400, as any other overflow does, instead of
/// the zeros its clamp at zero had made of it: on the forecast endpoint, the v2 protocol and a stream alike.
/// </summary>
public sealed class NonNegativeOverflowTests(TorchExportFixture fixture) : IClassFixture<TorchExportFixture>
{
    /// <summary>A history that falls and turns up again: the edited autoregression sends its forecast to -Infinity.</summary>
    private static readonly double[] History = [50, 55, 60, 62, 60, 55, 50, 45, 40, 38, 40, 45];

    /// <summary>Registers the export with an autoregression coefficient of 1e38 as "overflowing" (once per class).</summary>
    private async Task<string> OverflowingAsync()
    {
        const string name = "overflowing";
        if ((await fixture.Client.GetAsync($"/models/{name}")).StatusCode == HttpStatusCode.OK) return name;
        var stateDict = await fixture.ExportAsync();
        Assert.True((bool)stateDict["_forecast"]!["nonNegative"]!);
        stateDict["_forecast"]!["statistics"]!["autoregression"]!["coefficients"]![0] = 1e38;
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PostJsonAsync($"/models/{name}/versions", new { stateDict })).StatusCode);
        return name;
    }

    [Fact]
    public async Task The_forecast_endpoint_answers_400_naming_the_history()
    {
        var name = await OverflowingAsync();
        var response = await fixture.Client.PostJsonAsync($"/models/{name}/forecast", new { series = new[] { new { history = History } } });
        var message = Assert.Single((await response.ValidationErrorsAsync())["series[0].history"]);
        Assert.Contains("overflows 32-bit floats", message);
    }

    [Fact]
    public async Task The_v2_protocol_answers_400()
    {
        var name = await OverflowingAsync();
        var response = await fixture.Client.PostJsonAsync($"/v2/models/{name}/infer", new
        {
            inputs = new[] { new { name = "history", shape = new[] { 1, History.Length }, datatype = "FP32", data = History } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("overflows 32-bit floats", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Opening_a_stream_answers_400_naming_the_history()
    {
        var name = await OverflowingAsync();
        var response = await fixture.Client.PostJsonAsync($"/models/{name}/streams", new { seriesId = "s", history = History });
        // Told as the forecast endpoint tells it (it had said "The state forecasts non-finite values", a QA pass).
        Assert.Equal("Its forecast overflows 32-bit floats (NaN or Infinity): the values are too far out of the scale the version was trained on.",
            Assert.Single((await response.ValidationErrorsAsync())["history"]));
    }
}

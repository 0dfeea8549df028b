using System.Net;
using System.Text;
using System.Text.Json;
using LstmService.Forecasts;
using LstmService.InferenceV2;
using LstmService.Models;
using Xunit.Abstractions;

namespace LstmService.Tests;

/// <summary>
/// The OpenAPI document's examples of the demo model's answers are answers the demo model gives: its forecast, its v2
/// inference and its version's description. They are written into the code by hand, and had been left from an earlier
/// recipe (a 0.9 quantile four times too low ten years on) while the recipe moved on. Numbers are compared to 1% and half
/// a sunspot, enough for the vector widths CI runs and far below what a change of recipe moves.
/// </summary>
public sealed class DemoExampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    [Fact]
    public async Task The_documented_answers_are_the_demo_models_own()
    {
        await using var factory = new LstmServiceFactory(_directory, Api.WithDemo());
        var client = factory.CreateClient();
        await client.DemoTrainedAsync();

        var forecast = await PostAsync(client, "/models/sunspots/forecast", ForecastDocumentation.Example);
        var expected = Parse(ForecastDocumentation.ResponseExample).GetProperty("forecasts")[0];
        var actual = forecast.GetProperty("forecasts")[0];
        var mismatches = new List<string>();
        Compare("forecast mean", expected.GetProperty("mean"), actual.GetProperty("mean"), mismatches);
        foreach (var level in expected.GetProperty("quantiles").EnumerateObject())
            Compare($"forecast quantile {level.Name}", level.Value, actual.GetProperty("quantiles").GetProperty(level.Name), mismatches);
        if (expected.GetProperty("clampedAtZero").GetBoolean() != (actual.TryGetProperty("clampedAtZero", out var clamped) && clamped.GetBoolean()))
            mismatches.Add($"forecast clampedAtZero: documented {expected.GetProperty("clampedAtZero")}, answered {(actual.TryGetProperty("clampedAtZero", out var c) ? c : "left out")}");

        var inference = await PostAsync(client, "/v2/models/sunspots/infer", InferenceV2Documentation.Example);
        foreach (var tensor in Parse(InferenceV2Documentation.ResponseExample).GetProperty("outputs").EnumerateArray())
        {
            var name = tensor.GetProperty("name").GetString()!;
            var answered = inference.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);
            Compare($"v2 {name}", tensor.GetProperty("data"), answered.GetProperty("data"), mismatches);
        }

        var version = Parse(await client.GetStringAsync("/models/sunspots/versions/1"));
        var documented = Parse(ModelExamples.Version);
        foreach (var path in new[] { "inputWindow", "architecture.parameters", "architecture.statistics.smoothing.name", "architecture.transform", "timing.frequency" })
            if (At(documented, path).ToString() != At(version, path).ToString())
                mismatches.Add($"version {path}: documented {At(documented, path)}, answered {At(version, path)}");
        foreach (var path in new[] { "metrics.backtest.model.mase", "metrics.backtest.naive.mase", "metrics.backtest.intervalCoverage.0.1-0.9" })
            Compare($"version {path}", At(documented, path), At(version, path), mismatches, relative: 0.03, absolute: 0.005);

        // What the test saw, for whoever refreshes the examples.
        output.WriteLine(JsonSerializer.Serialize(actual));
        output.WriteLine(JsonSerializer.Serialize(version.GetProperty("metrics").GetProperty("backtest")));
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string url, string json)
    {
        var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>A dotted path's value; a key holding dots ("0.1-0.9") is matched whole after its parent.</summary>
    private static JsonElement At(JsonElement element, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == path) return property.Value;
            if (path.StartsWith(property.Name + ".", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.Object)
                return At(property.Value, path[(property.Name.Length + 1)..]);
        }
        throw new KeyNotFoundException(path);
    }

    private static void Compare(string what, JsonElement documented, JsonElement answered, List<string> mismatches, double relative = 0.01, double absolute = 0.5)
    {
        double[] d = documented.ValueKind == JsonValueKind.Array ? [.. documented.EnumerateArray().Select(v => v.GetDouble())] : [documented.GetDouble()];
        double[] a = answered.ValueKind == JsonValueKind.Array ? [.. answered.EnumerateArray().Select(v => v.GetDouble())] : [answered.GetDouble()];
        if (d.Length != a.Length) { mismatches.Add($"{what}: {d.Length} values documented, {a.Length} answered"); return; }
        for (int i = 0; i < d.Length; i++)
            if (Math.Abs(d[i] - a[i]) > relative * Math.Max(Math.Abs(d[i]), Math.Abs(a[i])) + absolute)
                mismatches.Add($"{what}[{i}]: documented {d[i]}, answered {a[i]}");
    }
}

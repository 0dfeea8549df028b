using System.Net;
using System.Text.Json.Nodes;
using LstmService.Models;

namespace LstmService.Tests;

/// <summary>
/// <c>POST /models/{name}/versions</c> files each error of a state_dict under the field at fault, worded for the client:
/// no .NET parameter names (" (Parameter 'alpha')") nor "Actual value was" lines.
/// </summary>
public sealed class StateDictFieldErrorTests(TorchExportFixture fixture) : IClassFixture<TorchExportFixture>
{
    /// <summary>The one error a refused registration answers, with its field.</summary>
    private async Task<(string Field, string Message)> RefusedAsync(object body)
    {
        var errors = await (await fixture.Client.PostJsonAsync("/models/refused/versions", body)).ValidationErrorsAsync();
        var (field, messages) = Assert.Single(errors);
        var message = Assert.Single(messages);
        Assert.DoesNotContain("(Parameter", message);
        Assert.DoesNotContain("Actual value", message);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/models/refused")).StatusCode);
        return (field, message);
    }

    [Fact]
    public async Task A_covariate_the_network_does_not_read_is_filed_under_the_covariates()
    {
        var stateDict = await fixture.ExportAsync();
        stateDict["_forecast"]!["covariates"] = new JsonArray("price");
        var (field, message) = await RefusedAsync(new { stateDict });
        Assert.Equal("stateDict._forecast.covariates", field);
        Assert.Contains("lists 1 covariate(s) (price), so the network would read 2 input features per step", message);
    }

    [Theory]
    [InlineData("smoothing.alpha", "5", "alpha must lie in (0, 1]")]
    [InlineData("intervalSpread", "-1", "The interval spread floor is a finite number, at least 0.")]
    [InlineData("weights", "[1, 1, 1, 1]", "non-negative numbers summing to 1")]
    public async Task A_bad_statistic_is_filed_under_its_path_inside_the_statistics(string path, string value, string expected)
    {
        var stateDict = await fixture.ExportAsync();
        var parts = path.Split('.');
        var parent = stateDict["_forecast"]!["statistics"]!;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        parent[parts[^1]] = JsonNode.Parse(value);
        var (field, message) = await RefusedAsync(new { stateDict });
        Assert.Equal($"stateDict._forecast.statistics.{path}", field);
        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task Lags_out_of_order_are_filed_under_the_lags()
    {
        // As many lags as coefficients, so the order is what is wrong.
        var stateDict = await fixture.ExportAsync();
        var autoregression = stateDict["_forecast"]!["statistics"]!["autoregression"]!;
        var lags = autoregression["lags"]!.AsArray();
        lags[0] = 0;
        var (field, message) = await RefusedAsync(new { stateDict });
        Assert.Equal("stateDict._forecast.statistics.autoregression.lags", field);
        Assert.Equal("Invalid statistical ensemble: Lags must be positive and increasing.", message);
    }

    [Fact]
    public async Task Quantiles_the_plain_examples_head_has_no_outputs_for_are_filed_under_the_quantiles()
    {
        // The OpenAPI example (a head of one output, horizon 1) with a quantile level added: the head fits the horizon, not the quantiles.
        var example = JsonNode.Parse(ModelDescriptions.RegisterVersionExample)!.AsObject();
        example["quantiles"] = new JsonArray(0.5);
        var (field, message) = await RefusedAsync(example);
        Assert.Equal("quantiles", field);
        Assert.Contains("1 quantile level(s) need a head of 1 x (1 + 1) = 2 outputs, but head.weight has 1", message);
    }
}

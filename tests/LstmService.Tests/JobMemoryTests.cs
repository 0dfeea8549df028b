using System.Net;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>Training submits are held to TrainingQueue:MaxJobMemoryBytes by an estimate made before anything is queued.</summary>
public sealed class JobMemoryTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private async Task<string> RefusedField(object request)
    {
        var response = await fixture.Client.PostJsonAsync("/models/memory/training-jobs", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await response.ValidationErrorsAsync();
        var (field, messages) = Assert.Single(errors);
        Assert.Contains("TrainingQueue:MaxJobMemoryBytes", Assert.Single(messages));
        return field;
    }

    [Fact]
    public async Task A_batch_too_big_to_hold_its_activations_is_refused_naming_batchSize()
    {
        // 4 members x 4096 windows x 1024 steps x 256 units: hundreds of GB of activations, though the network itself is small.
        var field = await RefusedField(new
        {
            series = new[] { new { values = Api.Sine(5000) } },
            inputWindow = 1024, hiddenSize = 256, ensemble = 4, batchSize = 4096,
        });
        Assert.Equal("batchSize", field);
    }

    [Fact]
    public async Task Without_an_inputWindow_the_widest_window_the_data_allows_is_counted_and_inputWindow_is_named()
    {
        // The QA pass's request: without a window or a season 3,000 values are counted at the largest window (1,024); it was refused
        // under batchSize, which the caller had not set. With the window given the same job fits.
        object Request(int? inputWindow) => new { series = new[] { new { values = Api.Sine(3000) } }, horizon = 6, ensemble = 5, hiddenSize = 128, layers = 2, inputWindow };
        var response = await fixture.Client.PostJsonAsync("/models/memory/training-jobs", Request(null));
        var message = Assert.Single((await response.ValidationErrorsAsync())["inputWindow"]);
        Assert.Contains("Without inputWindow the window is chosen from the data, up to 1024 values for these series", message);
        var fits = await fixture.Client.PostJsonAsync("/models/memory-window/training-jobs", Request(36));
        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        await fixture.Client.DeleteAsync("/models/memory-window");
    }

    [Fact]
    public async Task A_long_series_with_a_long_horizon_is_refused_naming_series()
    {
        // 100,000 windows each holding the members' forecasts over 365 steps: gigabytes.
        var field = await RefusedField(new { series = new[] { new { values = Api.Sine(100_000) } }, horizon = 365, inputWindow = 24, hiddenSize = 8, ensemble = 1 });
        Assert.Equal("series", field);
    }

    [Fact]
    public async Task Search_may_not_keep_a_network_over_the_parameter_budget()
    {
        // hiddenSize 256 x ensemble 5 fits the budget; the doubled candidate (2560 merged units, about 26 M parameters) does not.
        var response = await fixture.Client.PostJsonAsync("/models/memory/training-jobs",
            new { series = new[] { new { values = Api.Sine(200) } }, hiddenSize = 256, ensemble = 5, search = true });
        var errors = await response.ValidationErrorsAsync();
        Assert.Contains("TrainingQueue:MaxNetworkParameters", Assert.Single(errors["search"]));
    }

    [Fact]
    public void Search_never_doubles_hiddenSize_past_its_cap()
    {
        Assert.Equal(1024, JobMemory.SearchHiddenSize(512, 1));
        Assert.Equal(600, JobMemory.SearchHiddenSize(600, 1));
        Assert.Equal(1024, JobMemory.SearchHiddenSize(1024, 1));
        Assert.Equal(1000, JobMemory.SearchHiddenSize(1000, 8)); // and not past the merged width (8192)
    }

    [Fact]
    public void Ordinary_jobs_fit_the_default_budget_with_room_to_spare()
    {
        var series = new[] { new StoredSeries(null, new double?[100_000]) };
        var options = new LstmService.Forecasting.Training.TrainingOptions { Horizon = 12, InputWindow = 48, HiddenSize = 16 };
        var estimate = JobMemory.Of(options, series, covariates: 0);
        Assert.InRange(estimate.Total, 1L << 20, 256L << 20);
    }
}

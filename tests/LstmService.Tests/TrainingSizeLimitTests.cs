using System.Net;

namespace LstmService.Tests;

/// <summary>TrainingQueue:MaxPointsPerSeries and MaxTotalPoints: a job over them answers 400 naming the setting, its values counted before any is copied.</summary>
public sealed class TrainingSizeLimitTests
{
    [Fact]
    public async Task Values_over_the_per_series_or_total_limit_are_refused_naming_the_setting()
    {
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["TrainingQueue:MaxPointsPerSeries"] = "80",
            ["TrainingQueue:MaxTotalPoints"] = "100",
            ["TrainingQueue:Workers"] = "0",
        });
        var client = factory.CreateClient();
        static object Job(params object[] series) => new { series, horizon = 2, inputWindow = 4 };

        var total = await (await client.PostJsonAsync("/models/sized/training-jobs", Job(new { values = Api.Sine(60) }, new { values = Api.Sine(60) }))).ValidationErrorsAsync();
        Assert.Equal("At most 100 values in all series and their covariates (TrainingQueue:MaxTotalPoints); got 120.", Assert.Single(total["series"]));

        var covariates = await (await client.PostJsonAsync("/models/sized/training-jobs",
            Job(new { values = Api.Sine(40), covariates = new Dictionary<string, double[]> { ["x"] = Api.Sine(70) } }))).ValidationErrorsAsync();
        Assert.Contains("got 110", Assert.Single(covariates["series"]));

        var one = await (await client.PostJsonAsync("/models/sized/training-jobs", Job(new { values = Api.Sine(90) }))).ValidationErrorsAsync();
        Assert.Equal("At most 80 values per series (TrainingQueue:MaxPointsPerSeries); got 90.", Assert.Single(one["series[0].values"]));

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/models/sized/training-jobs", Job(new { values = Api.Sine(50) }, new { values = Api.Sine(50) }))).StatusCode);
    }
}

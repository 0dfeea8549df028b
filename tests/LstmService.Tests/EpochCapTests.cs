using System.Net.Http.Json;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>A job whose fit the step budget caps says how many epochs it may run, not the request's count.</summary>
public sealed class EpochCapTests : ServiceFixture
{
    [Fact]
    public async Task A_long_series_with_a_long_window_reports_the_epochs_its_fit_affords()
    {
        // 2,000 values read through a window of 100: each epoch reads about 100,000 network steps, so 200 epochs are capped.
        var job = await Client.SubmitAsync("capped", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(2000) } }, inputWindow = 100, horizon = 2, hiddenSize = 4,
            ensemble = 1, epochs = 200, patience = 200, statistics = false,
        });
        Assert.Equal(200, job.Epochs);
        var done = await Client.WaitForEndAsync(job.Id);
        Assert.Equal(TrainingJobStatus.Succeeded, done.Status);
        Assert.InRange(done.Epochs, 1, 199);
        Assert.Equal(done.Epochs, done.Epoch); // it ran every epoch it could, and says so
        var read = await Client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{job.Id}", Api.Json);
        Assert.Equal(done.Epochs, read!.Epochs);
        Assert.Equal(done.Epochs, read.LossCurve!.Train.Count);
    }
}

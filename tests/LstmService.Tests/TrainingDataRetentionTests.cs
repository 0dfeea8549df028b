using System.Net;
using System.Net.Http.Json;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>Finished jobs keep their training data for TrainingQueue:RetainJobDays, and none once their model is deleted.</summary>
public sealed class TrainingDataRetentionTests : ServiceFixture
{
    private TrainingJobStore Store => Factory.Services.GetRequiredService<TrainingJobStore>();

    [Fact]
    public async Task A_finished_jobs_series_are_purged_after_the_retention_and_its_record_stays()
    {
        var job = await Client.TrainAsync("kept");
        var sweep = Factory.Services.GetRequiredService<TrainingDataPurgeService>();
        Assert.Equal(0, sweep.Sweep(DateTimeOffset.UtcNow.AddDays(6))); // within the default 7 days
        Assert.NotNull(Store.GetSpec(job.Id));

        Assert.Equal(1, sweep.Sweep(DateTimeOffset.UtcNow.AddDays(8)));
        Assert.Null(Store.GetSpec(job.Id));
        Assert.Equal(0, sweep.Sweep(DateTimeOffset.UtcNow.AddDays(8))); // nothing left to purge

        var record = await Client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{job.Id}", Api.Json);
        Assert.Equal(TrainingJobStatus.Succeeded, record!.Status);
        Assert.Equal(1, record.Version);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/models/kept/versions/1")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_model_purges_its_jobs_training_data_at_once()
    {
        var done = await Client.TrainAsync("dropped");
        var other = await Client.TrainAsync("other");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/dropped")).StatusCode);
        Assert.Null(Store.GetSpec(done.Id));
        Assert.NotNull(Store.GetSpec(other.Id));
    }

    [Fact]
    public void The_weights_directory_can_be_synced()
    {
        var weights = Factory.Services.GetRequiredService<FileWeightsStore>();
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.Flush(weights.Directory));
    }
}

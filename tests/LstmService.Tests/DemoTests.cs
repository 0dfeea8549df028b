using System.Net;
using System.Net.Http.Json;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

public sealed class DemoTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private LstmServiceFactory Start(bool demo) => new(_directory, new Dictionary<string, string?>
    {
        ["Demo:TrainSampleOnFirstStart"] = demo ? "true" : "false",
        ["TrainingQueue:Workers"] = "0", // the job stays queued: what is checked is that it exists, not how it trains
    });

    [Fact]
    public async Task The_first_start_on_an_empty_data_directory_queues_the_sunspots_demo_once()
    {
        Guid id;
        await using (var factory = Start(demo: true))
        {
            var client = factory.CreateClient();
            var job = Assert.Single((await client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Api.Json))!);
            Assert.Equal("sunspots", job.Model);
            Assert.Contains(job.Status, (TrainingJobStatus[])[TrainingJobStatus.Queued, TrainingJobStatus.Running, TrainingJobStatus.Succeeded]);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models/sunspots")).StatusCode);
            id = job.Id;

            // The sample's sunspots column, horizon 10, every other setting the service's default.
            var spec = factory.Services.GetRequiredService<TrainingJobStore>().GetSpec(id)!;
            var series = Assert.Single(spec.Series);
            Assert.Equal(("sunspots", 309), (series.Id, series.Values.Length));
            Assert.Equal(10, spec.Settings.Horizon);
            Assert.Equal(new Forecasting.Training.TrainingOptions().HiddenSize, spec.Settings.HiddenSize);
        }

        // A second start on the same directory queues nothing more.
        await using (var factory = Start(demo: true))
        {
            var jobs = await factory.CreateClient().GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Api.Json);
            Assert.Equal([id], jobs!.Select(j => j.Id));
        }
    }

    [Fact]
    public async Task No_demo_when_switched_off_or_when_the_directory_already_has_jobs()
    {
        await using (var factory = Start(demo: false))
        {
            var client = factory.CreateClient();
            Assert.Empty((await client.GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Api.Json))!);
            await client.SubmitAsync("mine", Api.TinyTraining());
        }
        await using (var factory = Start(demo: true))
        {
            var jobs = await factory.CreateClient().GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Api.Json);
            Assert.Equal(["mine"], jobs!.Select(j => j.Model));
        }
    }
}

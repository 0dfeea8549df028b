using LstmService.Infrastructure;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.Options;

namespace LstmService.Demo;

/// <summary>
/// First start: on a fresh data directory (no models and no jobs at all) queues training of the model "sunspots" from the
/// bundled yearly sunspot numbers (horizon 10, every other setting the service's default), so Swagger UI has a model to
/// forecast with shortly after the first start. Switched off with Demo:TrainSampleOnFirstStart=false.
/// </summary>
internal sealed class DemoModelSeeder(
    IOptions<DemoOptions> options,
    IOptions<TrainingQueueOptions> limits,
    ModelRegistry registry,
    TrainingJobStore store,
    TrainingQueue queue,
    IRegistryDatabase database,
    ILogger<DemoModelSeeder> logger) : IHostedService
{
    // With a shared database, replicas starting together check and queue under this lock, so one of them queues the demo.
    private const long SeedLock = 0x4c53_544d_4445_4d; // "LSTMDEM"

    public const string ModelName = "sunspots", SeriesColumn = "sunspots";
    public const int Horizon = 10;

    /// <summary>Where the sample ships: next to the service's binaries (CopyToOutputDirectory/CopyToPublishDirectory).</summary>
    public static string SampleFile => Path.Combine(AppContext.BaseDirectory, "SampleData", "sunspots_yearly.csv");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.TrainSampleOnFirstStart) return;
        if (!database.IsShared)
        {
            await SeedAsync(cancellationToken);
            return;
        }
        // Held by a transaction of its own until the job is queued (or not); PostgreSQL releases it at the end.
        using var guard = database.Connect();
        using var tx = guard.BeginTransaction();
        Sql.Execute(guard, tx, "SELECT pg_advisory_xact_lock(@lock)", ("@lock", SeedLock));
        await SeedAsync(cancellationToken);
        tx.Commit();
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (registry.ListModels().Count > 0 || store.List(model: null, status: null, limit: 1)!.Count > 0) return; // not a fresh directory
        if (!File.Exists(SampleFile))
        {
            logger.LogWarning("Demo: the sample file {File} is missing; no demo model is trained", SampleFile);
            return;
        }

        var errors = new ValidationErrors();
        CsvTable? table;
        using (var reader = new StreamReader(SampleFile))
            table = await CsvSeriesReader.ReadAsync(reader, errors, "sample", cancellationToken);
        var column = table?.Columns.FirstOrDefault(c => c.Name == SeriesColumn);
        if (column is null)
        {
            logger.LogWarning("Demo: {File} has no usable '{Column}' column ({Errors}); no demo model is trained", SampleFile, SeriesColumn, errors.ToDictionary());
            return;
        }

        // The same request and validator as POST /models/sunspots/training-jobs with {"series": [...], "horizon": 10}, dated
        // by the file's year column as an upload is (yearly from 1700), so the demo's forecasts carry their years.
        var request = CsvTiming.Apply(new TrainingRequest { Series = [new SeriesInput { Id = SeriesColumn, Values = column.Values }], Horizon = Horizon }, table!, errors);
        var spec = TrainingRequestValidator.Validate(request, limits.Value, errors);
        if (spec is null)
        {
            logger.LogWarning("Demo: the sample does not fit the configured training limits ({Errors}); no demo model is trained", errors.ToDictionary());
            return;
        }

        var job = queue.PersistQueued(ModelName, spec);
        // A string: ":l" (no quotes) is a string's format, and a Guid given it made the redirected console drop the line.
        var jobId = job.Id.ToString();
        logger.LogInformation(
            // :l writes strings as they are (Serilog's text format quotes them), so the paths can be copied.
            "Demo: an empty registry (no models, no jobs), so training job {JobId:l} for model '{Model:l}' was queued from {File:l} ({Points} yearly sunspot numbers, horizon {Horizon}). " +
            "Follow it with GET /training-jobs/{JobId:l} (or /swagger); once it has succeeded, forecast the next {Horizon} years with " +
            "POST /models/{Model:l}/forecast and a body {{\"series\": [{{\"id\": \"sunspots\", \"history\": [the last yearly values, at least the version's inputWindow]}}]}} " +
            "(Swagger UI's example body is the sunspot numbers 1949-2008). " +
            "Set Demo:TrainSampleOnFirstStart=false (env Demo__TrainSampleOnFirstStart=false) to skip this.",
            jobId, ModelName, Path.GetFileName(SampleFile), column.Values.Length, Horizon, jobId, Horizon, ModelName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

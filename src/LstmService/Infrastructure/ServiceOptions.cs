using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>Where the registry (SQLite file and weights files) lives. Section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Data directory, relative to the working directory unless absolute; created when missing.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";
}

/// <summary>The background training queue and the limits of one training job. Section "TrainingQueue".</summary>
public sealed class TrainingQueueOptions
{
    public const string Section = "TrainingQueue";

    /// <summary>Jobs trained at the same time. 0 accepts and persists jobs without running them (an API-only node, or maintenance).</summary>
    [Range(0, 64)]
    public int Workers { get; set; } = 1;

    /// <summary>Jobs that may wait in the queue (cancelled ones leave it at once); a submit beyond this answers 429.</summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 16;

    /// <summary>
    /// Times a job may be running when the process dies (an out-of-memory kill, say) before it ends failed instead of being
    /// re-queued at the next start; a graceful shutdown does not count.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Seconds suggested to clients in the Retry-After header of a 429.</summary>
    [Range(1, 86_400)]
    public int RetryAfterSeconds { get; set; } = 30;

    [Range(1, 100_000)]
    public int MaxSeries { get; set; } = 1_000;

    [Range(2, 10_000_000)]
    public int MaxPointsPerSeries { get; set; } = 100_000;

    [Range(2, 100_000_000)]
    public int MaxTotalPoints { get; set; } = 2_000_000;

    [Range(1, 100_000)]
    public int MaxEpochs { get; set; } = 1_000;

    /// <summary>
    /// Most parameters of the network a job trains (the merged ensemble: hiddenSize x ensemble units per layer) or a
    /// registered state_dict declares; 16,777,216 is 64 MiB of weights. Checked before anything is allocated.
    /// </summary>
    [Range(1_000, 1_000_000_000)]
    public long MaxNetworkParameters { get; set; } = 16_777_216;

    /// <summary>
    /// Wall-clock seconds one run of a job may train (preparation to the stored version); past it the job ends failed with
    /// the reason, so one oversized job cannot hold a worker for good.
    /// </summary>
    [Range(1, 7 * 86_400)]
    public int MaxJobSeconds { get; set; } = 3_600;

    /// <summary>
    /// The memory a training job may need by the submit-time estimate (network and optimizer, activations of a batch, the
    /// series and their windows); a bigger job answers 400 naming the setting to lower. 1 GiB by default.
    /// </summary>
    [Range(1L << 20, long.MaxValue)]
    public long MaxJobMemoryBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Days a finished job keeps its training data (the series sent); then only the job's status, losses and version remain.
    /// 0 purges at the next hourly sweep. Deleting a model purges its jobs' data at once.
    /// </summary>
    [Range(0, 36_500)]
    public int RetainJobDays { get; set; } = 7;

    /// <summary>Minimum time between two progress writes of a running job to the database (the last one is always written).</summary>
    [Range(0, 60_000)]
    public int ProgressWriteIntervalMilliseconds { get; set; } = 250;
}

/// <summary>Limits of one forecast request. Section "Forecast".</summary>
public sealed class ForecastOptions
{
    public const string Section = "Forecast";

    [Range(1, 1_000_000)]
    public int MaxSeries { get; set; } = 10_000;

    [Range(1, 10_000_000)]
    public int MaxHistoryLength { get; set; } = 100_000;
}

/// <summary>Request-wide limits. Section "RequestLimits".</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Largest accepted request body; larger bodies answer 413.</summary>
    [Range(1_024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;
}

/// <summary>The bundled demo model. Section "Demo".</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// On a fresh data directory (no models and no jobs at all), queue training of the model "sunspots" from the bundled
    /// SampleData/sunspots_yearly.csv, so a new user can forecast right away. Never runs again on that directory.
    /// </summary>
    public bool TrainSampleOnFirstStart { get; set; } = true;
}

/// <summary>Graceful shutdown. Section "Shutdown".</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Seconds the host may take to stop (HostOptions.ShutdownTimeout): the server drains requests, the training workers stop
    /// taking jobs, and a running job is cancelled and re-queued. Keep it below the orchestrator's grace period (Kubernetes: 30 s).
    /// </summary>
    [Range(1, 3_600)]
    public int TimeoutSeconds { get; set; } = 25;
}

public static class ServiceOptionsExtensions
{
    /// <summary>Binds every options class from its configuration section, validated on start so a bad setting stops the process early.</summary>
    public static WebApplicationBuilder AddServiceOptions(this WebApplicationBuilder builder)
    {
        Bind<StorageOptions>(builder, StorageOptions.Section);
        Bind<TrainingQueueOptions>(builder, TrainingQueueOptions.Section);
        Bind<ForecastOptions>(builder, ForecastOptions.Section);
        Bind<RequestLimitsOptions>(builder, RequestLimitsOptions.Section);
        Bind<DemoOptions>(builder, DemoOptions.Section);
        Bind<ShutdownOptions>(builder, ShutdownOptions.Section);
        // Shutdown:TimeoutSeconds decides the host's shutdown timeout (it wins over DOTNET_SHUTDOWNTIMEOUTSECONDS).
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        return builder;
    }

    private static void Bind<T>(WebApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

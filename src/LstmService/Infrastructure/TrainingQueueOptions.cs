using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

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
    [Range(typeof(long), "1048576", "9223372036854775807")]
    public long MaxJobMemoryBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Days a finished job keeps its training data (the series sent); then only the job's status, losses and version remain.
    /// 0 purges at the next hourly sweep. Deleting a model purges its jobs' data at once.
    /// </summary>
    [Range(0, 36_500)]
    public int RetainJobDays { get; set; } = 7;

    /// <summary>
    /// Progress streams (GET /training-jobs/{id}/events) a process serves at once; one more answers 503 with Retry-After.
    /// Each reads its job at least every second, so thousands of idle ones slowed every other request. 0: no limit.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxEventStreams { get; set; } = 256;

    /// <summary>Minimum time between two progress writes of a running job to the database (the last one is always written).</summary>
    [Range(0, 60_000)]
    public int ProgressWriteIntervalMilliseconds { get; set; } = 250;

    /// <summary>
    /// Seconds a running job's lease lasts. The replica running it renews it every third of this (at most every 2 s), and
    /// a job whose lease ran out (its replica was killed) is queued again, or failed after <see cref="MaxAttempts"/>, by
    /// another replica. Matters with Storage:Provider postgres; SQLite's one process re-queues at start instead.
    /// </summary>
    [Range(3, 3_600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>With PostgreSQL: how often an idle worker looks for jobs submitted through other replicas (its own wake it at once).</summary>
    [Range(50, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;
}

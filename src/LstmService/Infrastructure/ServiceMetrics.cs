using Prometheus;

namespace LstmService.Infrastructure;

/// <summary>
/// The service's Prometheus metrics (prometheus-net), on a registry of this host's own (so hosts in one process, as in
/// the tests, keep apart). HTTP request counts and latency come from prometheus-net's middleware
/// (<see cref="MetricsExtensions.UseServiceMetrics"/>); features count their own events here and add what is read at
/// scrape time (queue depth, cache size) with <see cref="OnCollect"/>.
/// </summary>
public sealed class ServiceMetrics
{
    public ServiceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry); // process_* and dotnet_*: CPU, memory, GC, threads
        var factory = Factory(Registry);
        ForecastRequests = factory.CreateCounter("lstm_forecast_requests_total", "Forecast requests answered 200.");
        ForecastSeries = factory.CreateCounter("lstm_forecast_series_total", "Series forecast.");
        ForecastPoints = factory.CreateCounter("lstm_forecast_points_total", "Points forecast (series x horizon).");
        // A stream's opening and each append forecast the version's horizon too: a stream-heavy deployment had shown flat
        // forecast counters while the rate limiter counted every one (an operator QA pass).
        StreamForecasts = factory.CreateCounter("lstm_stream_forecasts_total",
            "Stream forecasts answered: each opening (201) and append (200) forecasts the version's horizon once, by kind (open, append).", "kind");
        TrainingJobs = factory.CreateCounter("lstm_training_jobs_total", "Training jobs ended by this replica, by outcome.", "outcome");
        TrainingJobDuration = factory.CreateHistogram("lstm_training_job_duration_seconds", "Wall-clock time of a training job's run, by outcome.",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = Histogram.ExponentialBuckets(0.5, 2, 14) });
        TrainingJobsSubmitted = factory.CreateCounter("lstm_training_jobs_submitted_total", "Training jobs accepted into the queue by this replica.");
        LeaseTakeovers = factory.CreateCounter("lstm_training_lease_takeovers_total",
            "Running jobs left by a process that stopped without finishing its shutdown, taken over by this one: on a shared database those whose lease expired, on SQLite those the last process left running (counted at start); re-queued, failed at MaxAttempts, or cancelled as asked.");
        ModelCacheEvictions = factory.CreateCounter("lstm_model_cache_evictions_total", "Loaded models dropped from this replica's cache, by reason.", "reason");
        JobsByState = factory.CreateGauge("lstm_training_jobs", "Training jobs in the database, by state (read at scrape).", "state");
        QueueDepth = factory.CreateGauge("lstm_training_queue_depth", "Queued training jobs (read at scrape).");
        QueueOldestAge = factory.CreateGauge("lstm_training_queue_oldest_age_seconds", "Age of the oldest queued training job; 0 when none waits.");
        DatabaseUp = factory.CreateGauge("lstm_database_up",
            "1 when the registry's database answered this scrape's queries, 0 when it did not (the database-wide gauges then keep their last values).");
        DatabaseReadOnly = factory.CreateGauge("lstm_database_read_only",
            "1 when the registry's shared database answered but takes no writes (a standby a failover reached: writes answer 503), 0 otherwise (read at scrape).");
        ModelCacheSize = factory.CreateGauge("lstm_model_cache_models", "Loaded models in this replica's cache.");
        UnavailableVersions = factory.CreateGauge("lstm_model_versions_unavailable",
            "Versions this replica cannot serve: weights missing, altered or unreadable (their forecasts answer 409; GET shows the reason).");
        HeavyRequestsRefused = factory.CreateCounter("lstm_heavy_requests_refused_total",
            "Heavy requests answered 503 because HeavyRequests:MaxConcurrent were running: backpressure, not a server error.");
        EventStreamsRefused = factory.CreateCounter("lstm_event_streams_refused_total",
            "Progress streams answered 503 because TrainingQueue:MaxEventStreams were open: a limit at work, not a server error.");
        DriftingVersions = factory.CreateGauge("lstm_model_versions_drifting",
            "Versions whose latest drift episode is open: flagged by the drift rule and not yet cleared (read at scrape; see a version's monitoring).");
        KernelPath = factory.CreateGauge("lstm_kernel_path_info", "The kernels' code path on this process (value 1).", "path");
        StorageFull = factory.CreateCounter("lstm_storage_full_total",
            "Writes the storage refused, by source: full (disk, quota, SQLite file, PostgreSQL disk_full) for a request (answered 507) or a training job (ended failed); read-only, not writable or not permitted for a request (answered 503).", "source");
        // Every label value a counter takes is exported at 0 from the start: a series that first appears at 1 has no earlier
        // sample, so increase() reads 0 over it and the storage alert missed a single refused write.
        foreach (var outcome in TrainingOutcomes) { TrainingJobs.WithLabels(outcome); TrainingJobDuration.WithLabels(outcome); }
        foreach (var source in StorageFullSources) StorageFull.WithLabels(source);
        foreach (var reason in EvictionReasons) ModelCacheEvictions.WithLabels(reason);
        foreach (var kind in StreamForecastKinds) StreamForecasts.WithLabels(kind);
    }

    /// <summary>The outcomes a training job ends with on this replica (lstm_training_jobs_total's "outcome").</summary>
    public static readonly string[] TrainingOutcomes = ["succeeded", "failed", "cancelled", "requeued", "lease_lost"];

    /// <summary>Where a refused write came from (lstm_storage_full_total's "source").</summary>
    public static readonly string[] StorageFullSources = ["request", "training", "unwritable"];

    /// <summary>What forecast a stream (lstm_stream_forecasts_total's "kind").</summary>
    public static readonly string[] StreamForecastKinds = ["open", "append"];

    /// <summary>Why a loaded model left the cache (lstm_model_cache_evictions_total's "reason").</summary>
    public static readonly string[] EvictionReasons = ["budget", "deleted", "deleted_elsewhere", "unavailable"];

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// The metric factory of <paramref name="registry"/>, without exemplars: prometheus-net otherwise reads the current trace
    /// context and the clock on every increment (6% of a small forecast's CPU, measured), for trace ids nobody scrapes here.
    /// </summary>
    public static MetricFactory Factory(CollectorRegistry registry)
    {
        var factory = (MetricFactory)Metrics.WithCustomRegistry(registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        return factory;
    }

    public Counter ForecastRequests { get; }
    public Counter ForecastSeries { get; }
    public Counter ForecastPoints { get; }
    public Counter StreamForecasts { get; }
    public Counter TrainingJobs { get; }
    public Histogram TrainingJobDuration { get; }
    public Counter TrainingJobsSubmitted { get; }
    public Counter LeaseTakeovers { get; }
    public Counter ModelCacheEvictions { get; }
    public Gauge JobsByState { get; }
    public Gauge QueueDepth { get; }
    public Gauge QueueOldestAge { get; }
    public Gauge DatabaseUp { get; }
    public Gauge DatabaseReadOnly { get; }
    public Gauge ModelCacheSize { get; }
    public Gauge UnavailableVersions { get; }
    public Gauge DriftingVersions { get; }
    public Counter HeavyRequestsRefused { get; }
    public Counter EventStreamsRefused { get; }
    /// <summary>The one signal of a full storage the service itself gives: readiness stays up, as forecasts (reads) still answer.</summary>
    public Counter StorageFull { get; }
    public Gauge KernelPath { get; }

    /// <summary>Runs <paramref name="update"/> before each scrape; a failure (a database hiccup) leaves the last values.</summary>
    public void OnCollect(Action update) => Registry.AddBeforeCollectCallback(() =>
    {
        try { update(); }
        catch (Exception e) when (e is not OutOfMemoryException) { /* the gauges keep their last values until the next scrape */ }
    });
}

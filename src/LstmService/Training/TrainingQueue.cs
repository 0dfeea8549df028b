using System.Collections.Concurrent;
using System.Threading.Channels;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>
/// The bounded queue of job ids between the endpoints and the training workers, the cancellation handles of
/// running jobs, and a per-job signal that wakes event-stream readers when a job changes.
/// </summary>
public sealed class TrainingQueue(IOptions<TrainingQueueOptions> options, TrainingJobStore store, ModelRegistry registry, ILogger<TrainingQueue> logger)
{
    private readonly Channel<Guid> _channel = Channel.CreateBounded<Guid>(new BoundedChannelOptions(options.Value.Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; the submit answers 429
        SingleReader = false,
        SingleWriter = false,
    });
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _signals = new();

    public ChannelReader<Guid> Reader => _channel.Reader;

    /// <summary>Persists a new job and queues it; null when the queue is full (nothing is kept then).</summary>
    public TrainingJobRecord? TrySubmit(string model, TrainingJobSpec spec)
    {
        var id = Guid.NewGuid();
        var job = store.Insert(id, model, spec);
        if (_channel.Writer.TryWrite(id))
        {
            // Created only once the job is accepted, so a 429 leaves no empty model behind. (A worker that starts the
            // job first is fine: storing the version creates the model too.)
            registry.EnsureModel(model);
            logger.LogInformation("Job {JobId} for model {Model} queued ({Series} series, {Epochs} epochs)", id, model, spec.Series.Count, spec.Settings.Epochs);
            return job;
        }
        store.Delete(id);
        return null;
    }

    /// <summary>
    /// Before the workers start: persists a queued job without writing it to the channel; the workers' start-up scan of
    /// persisted queued jobs picks it up (writing it here too would queue it twice).
    /// </summary>
    public TrainingJobRecord PersistQueued(string model, TrainingJobSpec spec)
    {
        var job = store.Insert(Guid.NewGuid(), model, spec);
        registry.EnsureModel(model);
        logger.LogInformation("Job {JobId} for model {Model} queued ({Series} series, {Epochs} epochs)", job.Id, model, spec.Series.Count, spec.Settings.Epochs);
        return job;
    }

    /// <summary>At start: re-queues persisted jobs, waiting for room when more are persisted than the queue holds.</summary>
    public ValueTask RequeueAsync(Guid id, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(id, cancellationToken);

    /// <summary>Cancels a queued job at once, or asks a running one to stop. Returns the job as it is afterwards, or null if unknown.</summary>
    public (TrainingJobRecord? Job, bool Accepted) Cancel(Guid id)
    {
        if (store.TryCancelQueued(id))
        {
            logger.LogInformation("Job {JobId} cancelled while queued", id);
            Signal(id);
            return (store.Get(id), true);
        }
        if (_running.TryGetValue(id, out var cts))
        {
            logger.LogInformation("Job {JobId} cancellation requested", id);
            cts.Cancel();
            return (store.Get(id), true);
        }
        var job = store.Get(id);
        return (job, job is { Status: TrainingJobStatus.Cancelled });
    }

    /// <summary>Asks running jobs to stop (their rows were already marked cancelled, e.g. by deleting their model).</summary>
    public void CancelRunning(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
            Signal(id);
        }
    }

    internal void RegisterRunning(Guid id, CancellationTokenSource cts) => _running[id] = cts;

    internal void UnregisterRunning(Guid id) => _running.TryRemove(id, out _);

    /// <summary>A task that completes at the job's next change.</summary>
    public Task WaitForChangeAsync(Guid id) =>
        _signals.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal(Guid id)
    {
        if (_signals.TryRemove(id, out var tcs)) tcs.TrySetResult();
    }
}

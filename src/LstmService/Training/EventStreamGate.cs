using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>
/// Counts the open progress streams against <see cref="TrainingQueueOptions.MaxEventStreams"/>; a refusal is counted too
/// (lstm_event_streams_refused_total), so the 5xx alert can leave these 503s out.
/// </summary>
public sealed class EventStreamGate(IOptions<TrainingQueueOptions> options, ServiceMetrics metrics)
{
    private int _open;

    /// <summary>Takes a place for <paramref name="http"/>'s stream until its response completes (or the client goes); false when none is left.</summary>
    public bool TryEnter(HttpContext http)
    {
        var max = options.Value.MaxEventStreams;
        if (max == 0) return true;
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            metrics.EventStreamsRefused.Inc();
            return false;
        }
        http.Response.OnCompleted(() =>
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        });
        return true;
    }
}

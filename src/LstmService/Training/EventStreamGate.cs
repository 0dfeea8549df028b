using LstmService.Infrastructure;
using Microsoft.Extensions.Options;

namespace LstmService.Training;

/// <summary>Counts the open progress streams against <see cref="TrainingQueueOptions.MaxEventStreams"/>.</summary>
public sealed class EventStreamGate(IOptions<TrainingQueueOptions> options)
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

namespace LstmService.Infrastructure;

/// <summary>
/// A background sweep at start and then hourly (the retention purges). A failing sweep is logged and the next one tries
/// again: a busy or failing database must not stop the service.
/// </summary>
public abstract class HourlySweepService(TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One sweep as of <paramref name="now"/>; returns how many rows it purged.</summary>
    public abstract int Sweep(DateTimeOffset now);

    /// <summary>What the warning says when a sweep fails ("Purging ... failed").</summary>
    protected abstract string FailureMessage { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try { Sweep(time.GetUtcNow()); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "{Failure}", FailureMessage); }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped: also when a failed start disposes the host, which the host would otherwise log as this service failing.
        }
    }
}

using LstmService.Infrastructure;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>The queue's gauges, read from the database at each scrape of /metrics (which needs no key).</summary>
public sealed class QueueGaugesTests
{
    [Fact]
    public async Task Scrapes_that_arrive_while_a_reading_runs_share_it_and_the_next_reads_again()
    {
        var metrics = new ServiceMetrics();
        var calls = 0;
        var gate = new ManualResetEventSlim();
        var gauges = new QueueGauges(() =>
        {
            Interlocked.Increment(ref calls);
            gate.Wait(TimeSpan.FromSeconds(10));
            return (new Dictionary<TrainingJobStatus, int> { [TrainingJobStatus.Queued] = 3 }, null, false);
        }, metrics);

        // Each scrape on a thread of its own, as Kestrel's requests would be (the pool starts threads slowly).
        var scrapes = Enumerable.Range(0, 6).Select(_ => Task.Factory.StartNew(gauges.Update, TaskCreationOptions.LongRunning)).ToArray();
        while (Volatile.Read(ref calls) == 0) await Task.Delay(10);
        await Task.Delay(200); // the others arrive while the first reading waits
        gate.Set();
        await Task.WhenAll(scrapes);
        Assert.Equal(1, calls);

        // The next scrape reads again, and sets the gauges from what it read.
        gauges.Update();
        Assert.Equal(2, calls);
        Assert.Equal(3, metrics.QueueDepth.Value);
        Assert.Equal(1, metrics.DatabaseUp.Value);
    }
}

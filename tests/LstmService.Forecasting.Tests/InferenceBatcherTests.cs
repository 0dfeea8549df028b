using LstmService.Forecasting.Models;

namespace LstmService.Forecasting.Tests;

public class InferenceBatcherTests
{
    /// <summary>A stand-in network: each row's outputs are its sum and its first value; records every batch's row count.</summary>
    sealed class RowSums(Action? duringFirstRun = null)
    {
        public readonly List<int> Batches = [];
        int _runs;

        public void Run(float[] x, int rows, float[] output)
        {
            lock (Batches) Batches.Add(rows);
            if (Interlocked.Increment(ref _runs) == 1) duringFirstRun?.Invoke();
            for (int r = 0; r < rows; r++)
            {
                output[r * 2] = x[r * 3] + x[r * 3 + 1] + x[r * 3 + 2];
                output[r * 2 + 1] = x[r * 3];
            }
        }
    }

    static float[] Rows(int id, int rows) => Enumerable.Range(0, rows * 3).Select(i => id * 1000f + i).ToArray();

    static void AssertOwnRows(float[] x, int rows, float[] output)
    {
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(x[r * 3] + x[r * 3 + 1] + x[r * 3 + 2], output[r * 2]);
            Assert.Equal(x[r * 3], output[r * 2 + 1]);
        }
    }

    [Fact]
    public async Task CallsArrivingDuringABatchRunTogetherInTheNextAndEachGetsItsOwnRows()
    {
        const int waiting = 6;
        InferenceBatcher? batcher = null;
        // The first batch holds until six calls wait behind it, so the second batch must combine them.
        var network = new RowSums(() => SpinWait.SpinUntil(() => batcher!.Waiting == waiting, TimeSpan.FromSeconds(30)));
        batcher = new InferenceBatcher(3, 2, network.Run);
        // A thread of its own per call: every call but the leader blocks, and on a loaded two-core machine the thread pool
        // added threads for them too slowly (the leader's 30 s wait ran out with fewer than six waiting).
        var calls = Enumerable.Range(0, waiting + 1).Select(id => Task.Factory.StartNew(() =>
        {
            if (id > 0) SpinWait.SpinUntil(() => network.Batches.Count > 0); // the first call leads
            var x = Rows(id, 1 + id % 3);
            var output = new float[(1 + id % 3) * 2];
            batcher.Run(x, 1 + id % 3, output);
            AssertOwnRows(x, 1 + id % 3, output);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(calls);
        Assert.Equal(2, network.Batches.Count);
        Assert.Equal(1, network.Batches[0]);
        Assert.Equal(Enumerable.Range(1, waiting).Sum(id => 1 + id % 3), network.Batches[1]);
    }

    [Fact]
    public void ALoneCallRunsAtOnceAndManyConcurrentCallsAllGetTheirRows()
    {
        var network = new RowSums();
        var batcher = new InferenceBatcher(3, 2, network.Run);
        var x = Rows(1, 2);
        var output = new float[4];
        batcher.Run(x, 2, output);
        AssertOwnRows(x, 2, output);
        Assert.Equal([2], network.Batches);

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var rows = 1 + i % 4;
            var input = Rows(i, rows);
            var result = new float[rows * 2];
            batcher.Run(input, rows, result);
            AssertOwnRows(input, rows, result);
        });
        Assert.Equal(2 + Enumerable.Range(0, 2000).Sum(i => 1 + i % 4), network.Batches.Sum());
        Assert.All(network.Batches, rows => Assert.InRange(rows, 1, InferenceBatcher.MaxRows));
    }

    [Fact]
    public void AFailureReachesEveryCallOfItsBatchAndTheBatcherGoesOn()
    {
        var fail = true;
        var batcher = new InferenceBatcher(3, 2, (x, rows, output) =>
        {
            if (fail) throw new InvalidDataException("broken weights");
            output.AsSpan(0, rows * 2).Fill(1);
        });
        Assert.Throws<InvalidDataException>(() => batcher.Run(Rows(0, 1), 1, new float[2]));
        fail = false;
        var output = new float[2];
        batcher.Run(Rows(0, 1), 1, output);
        Assert.Equal([1f, 1f], output);
    }
}

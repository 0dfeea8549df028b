using System.Data.Common;
using System.Threading.Channels;

namespace LstmService.Registry;

/// <summary>
/// Small writes to a single-process SQLite file, committed by one dedicated thread: whatever has queued up meanwhile goes
/// into one transaction (one fsync for all of them). SQLite takes one writer at a time, and a writer kept waiting by
/// another sleeps in Microsoft.Data.Sqlite's busy loop on a thread-pool thread: 64 concurrent stream appends starved
/// every other request that way (health probes fell from 13,000 to 70 a second). Callers await their write instead.
/// </summary>
/// <typeparam name="T">One write's data; <c>write</c> applies it inside the batch's transaction and returns its result.</typeparam>
public sealed class GroupCommitWriter<T> : IDisposable
{
    /// <summary>Writes per transaction at most, so one commit never waits on an unbounded batch.</summary>
    public const int MaxBatch = 256;

    private readonly Func<DbConnection> _connect;
    private readonly Func<DbConnection, DbTransaction, T, bool> _write;
    private readonly Channel<(T Item, TaskCompletionSource<bool> Done)> _queue =
        Channel.CreateUnbounded<(T, TaskCompletionSource<bool>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;

    public GroupCommitWriter(Func<DbConnection> connect, Func<DbConnection, DbTransaction, T, bool> write, string name)
    {
        _connect = connect;
        _write = write;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues the write; completes with its result once its transaction committed, or faults with the error that stopped it.</summary>
    public Task<bool> WriteAsync(T item)
    {
        // The writer thread must not run the caller's continuation (a whole request) before committing the next batch.
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, done))) done.SetException(new ObjectDisposedException(nameof(GroupCommitWriter<T>)));
        return done.Task;
    }

    private void Run()
    {
        var batch = new List<(T Item, TaskCompletionSource<bool> Done)>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            Commit(batch);
        }
    }

    /// <summary>
    /// Commits the batch in one transaction. A write that throws fails alone: the transaction is rolled back and the others
    /// go again without it. A failure of the connection or of the transaction itself (a lock held past the timeout, an I/O
    /// error) fails the whole batch at once: tried one by one, 256 writes could each wait out the timeout in turn.
    /// </summary>
    private void Commit(List<(T Item, TaskCompletionSource<bool> Done)> batch)
    {
        var pending = batch;
        while (pending.Count > 0)
        {
            int failed = -1;
            var results = new bool[pending.Count];
            try
            {
                using var connection = _connect();
                using var tx = connection.BeginTransaction();
                for (int i = 0; i < pending.Count && failed < 0; i++)
                {
                    try { results[i] = _write(connection, tx, pending[i].Item); }
                    catch (Exception e) { failed = i; pending[i].Done.TrySetException(e); }
                }
                if (failed < 0) tx.Commit(); // else disposing the transaction rolls it back
            }
            catch (Exception e)
            {
                foreach (var (_, done) in pending) done.TrySetException(e);
                return;
            }
            if (failed < 0)
            {
                for (int i = 0; i < pending.Count; i++) pending[i].Done.TrySetResult(results[i]);
                return;
            }
            pending = pending.Where((_, i) => i != failed).ToList();
        }
    }

    /// <summary>Commits what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(30));
    }
}

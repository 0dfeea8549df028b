namespace LstmService.Kernels;

/// <summary>
/// A small persistent team of threads (the caller plus Size-1 helpers) that runs one <see cref="IPartitionedWork"/>
/// per call. Helpers spin briefly between calls and then sleep, so a handoff costs well under a microsecond while
/// work keeps coming and no CPU when idle. Parallel.For costs 10-15 µs per call, too much per LSTM phase.
/// If the team is busy (another model is using it), the caller runs every part itself: results never depend on
/// the split, only the speed does.
/// </summary>
public sealed class WorkerTeam : IDisposable
{
    static readonly Lazy<WorkerTeam> s_shared = new(() => new WorkerTeam(Math.Clamp(Environment.ProcessorCount, 1, 2)));

    /// <summary>One team for the process, sized to the cores (at most 2: the kernels' splits are tuned for that).</summary>
    public static WorkerTeam Shared => s_shared.Value;

    readonly Thread[] _helpers;
    readonly SemaphoreSlim[] _wake;
    readonly object _gate = new();
    IPartitionedWork? _work;
    int _parts;
    long _generation;
    int _pending;
    Exception? _failure;
    volatile bool _disposed;

    public WorkerTeam(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _helpers = new Thread[size - 1];
        _wake = new SemaphoreSlim[size - 1];
        for (int i = 0; i < _helpers.Length; i++)
        {
            int part = i + 1;
            _wake[i] = new SemaphoreSlim(0);
            _helpers[i] = new Thread(() => HelperLoop(part)) { IsBackground = true, Name = $"lstm-kernel-{part}" };
            _helpers[i].Start();
        }
    }

    /// <summary>Number of threads that take part in a call, the caller included.</summary>
    public int Size { get; }

    /// <summary>Runs <paramref name="work"/> split into <paramref name="parts"/> (at most <see cref="Size"/>) parts and returns when all are done.</summary>
    public void Run(IPartitionedWork work, int parts)
    {
        parts = Math.Clamp(parts, 1, Size);
        if (parts == 1 || !Monitor.TryEnter(_gate))
        {
            for (int p = 0; p < parts; p++) work.Execute(p, parts);
            return;
        }
        try
        {
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _pending, parts - 1);
            Interlocked.Increment(ref _generation);
            for (int i = 0; i < parts - 1; i++)
                if (_wake[i].CurrentCount == 0) _wake[i].Release();
            try { work.Execute(0, parts); }
            finally
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
                _work = null;
            }
            if (_failure is { } failure) throw new AggregateException("A kernel worker failed.", failure);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    void HelperLoop(int part)
    {
        long seen = 0;
        while (!_disposed)
        {
            // Spin a little for the next call, then sleep on the semaphore.
            var spin = new SpinWait();
            long gen;
            int spins = 0;
            while ((gen = Volatile.Read(ref _generation)) == seen && spins++ < 2000) spin.SpinOnce(sleep1Threshold: -1);
            if (gen == seen)
            {
                _wake[part - 1].Wait();
                continue;
            }
            seen = gen;
            var work = _work;
            if (work is not null && part < _parts)
            {
                try { work.Execute(part, _parts); }
                catch (Exception e) { _failure = e; }
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var w in _wake) w.Release();
    }
}

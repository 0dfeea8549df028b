using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace LstmService.Infrastructure;

/// <summary>
/// The log sink for redirected output (a container's log pipe, a file): a request adds its event to a lock-free queue and
/// nothing is signalled per event; one background thread formats what is queued every 20 ms (at once when the queue is
/// full) and writes it in one call. Serilog.Sinks.Async wakes its worker for every event, which at the request log's rate
/// cost more than the formatting (`-- log-sinks` in the benchmarks: 4.0 microseconds of CPU per event here, against 15.6
/// for the console sink behind the async wrapper). A full queue blocks writers rather than dropping events (the log is the
/// audit trail); disposing the logger (at shutdown) writes everything queued.
/// </summary>
internal sealed class BatchedConsoleSink : ILogEventSink, IDisposable
{
    public const int DefaultCapacity = 10_000;
    private const int IntervalMilliseconds = 20, FlushChars = 64 * 1024;

    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly ITextFormatter _formatter;
    private readonly TextWriter _output;
    private readonly int _capacity;
    private readonly StringWriter _buffer = new(CultureInfo.InvariantCulture);
    private readonly object _gate = new();
    private readonly Thread _worker;
    private int _queued;
    private bool _stopping;

    public BatchedConsoleSink(ITextFormatter formatter, TextWriter output, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _formatter = formatter;
        _output = output;
        _capacity = capacity;
        _worker = new Thread(Run) { IsBackground = true, Name = "log writer" };
        _worker.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
            lock (_gate)
                while (Volatile.Read(ref _queued) > _capacity && !_stopping)
                {
                    Monitor.PulseAll(_gate); // the writer drains now instead of at its next interval
                    Monitor.Wait(_gate, IntervalMilliseconds);
                }
        _queue.Enqueue(logEvent);
    }

    private void Run()
    {
        while (true)
        {
            bool last;
            lock (_gate)
            {
                if (!_stopping) Monitor.Wait(_gate, IntervalMilliseconds);
                last = _stopping;
            }
            Drain();
            if (last) return;
        }
    }

    private void Drain()
    {
        int drained = 0;
        while (_queue.TryDequeue(out var logEvent))
        {
            try { _formatter.Format(logEvent, _buffer); }
            catch (Exception e) { SelfLog.WriteLine("Formatting a log event failed: {0}", e); }
            drained++;
            if (_buffer.GetStringBuilder().Length >= FlushChars) Write();
        }
        if (drained == 0) return;
        Write();
        Interlocked.Add(ref _queued, -drained);
        lock (_gate) Monitor.PulseAll(_gate); // writers waiting on a full queue
    }

    private void Write()
    {
        var text = _buffer.GetStringBuilder();
        if (text.Length == 0) return;
        try
        {
            _output.Write(text);
            _output.Flush();
        }
        catch (IOException)
        {
            // The reader went away: the lines are lost, as they would be with the plain console sink.
        }
        text.Clear();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        // Bounded: a log reader that stopped reading must not hold the process's exit.
        _worker.Join(TimeSpan.FromSeconds(10));
    }
}

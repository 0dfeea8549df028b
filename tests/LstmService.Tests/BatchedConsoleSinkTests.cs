using LstmService.Infrastructure;
using Serilog.Events;

namespace LstmService.Tests;

/// <summary>The redirected log's sink: every event written whole and in order, nothing lost at shutdown or when its queue is full.</summary>
public sealed class BatchedConsoleSinkTests
{
    private static LogEvent Event(int i) => LogLineFormatterTests.Capture(l => l.Information("Event {Index}", i));

    [Fact]
    public void Every_event_is_written_whole_and_in_order_by_the_time_the_sink_is_disposed()
    {
        var output = new StringWriter();
        var events = Enumerable.Range(0, 500).Select(Event).ToArray();
        var sink = new BatchedConsoleSink(new LogLineFormatter(), output);

        foreach (var e in events) sink.Emit(e);
        sink.Dispose();

        Assert.Equal(string.Concat(events.Select(LogLineFormatterTests.Format)), output.ToString());
    }

    [Fact]
    public async Task A_full_queue_makes_writers_wait_for_a_stalled_output_and_loses_nothing()
    {
        var output = new GatedWriter();
        var sink = new BatchedConsoleSink(new LogLineFormatter(), output, capacity: 4);
        var events = Enumerable.Range(0, 40).Select(Event).ToArray();

        var writer = Task.Run(() => { foreach (var e in events) sink.Emit(e); });
        // The first batch is stuck in the output's write; the writer can queue four more and then has to wait.
        await Task.Delay(500);
        Assert.False(writer.IsCompleted);
        Assert.Equal(0, output.Written.Length);

        output.Open();
        await writer.WaitAsync(TimeSpan.FromSeconds(10));
        sink.Dispose();
        Assert.Equal(string.Concat(events.Select(LogLineFormatterTests.Format)), output.Written.ToString());
    }

    /// <summary>An output whose writes block until <see cref="Open"/>: a log reader that stopped reading.</summary>
    private sealed class GatedWriter : TextWriter
    {
        private readonly ManualResetEventSlim _open = new();

        public System.Text.StringBuilder Written { get; } = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public void Open() => _open.Set();

        public override void Write(char value)
        {
            _open.Wait();
            lock (Written) Written.Append(value);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            _open.Wait();
            lock (Written) Written.Append(buffer);
        }
    }
}

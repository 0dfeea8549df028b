using System.Buffers;
using System.Text;

namespace LstmService.Infrastructure;

/// <summary>
/// Console output that never blocks a request on the pipe: writers append UTF-8 to an in-memory buffer and a background
/// thread writes it to standard output in large chunks (at least every 20 ms, at once past 256 KiB, and at exit).
/// Installed only when standard output is redirected (a container's log pipe, a file), where the console sink writes
/// plain text and one write per event would cost a system call under the sink's lock; on a terminal the console is
/// left as it is (its colours are set apart from the text). Text is encoded as it is appended, so lines already encoded
/// (<see cref="IUtf8LineOutput"/>) go in as they are, in the same order. Past 8 MiB waiting (a reader that stopped), writers wait.
/// </summary>
internal sealed class BackgroundConsoleWriter : TextWriter, IUtf8LineOutput
{
    private const int FlushBytes = 256 * 1024, MaxPendingBytes = 8 * 1024 * 1024;
    private static readonly object InstallLock = new();
    private static BackgroundConsoleWriter? _installed;

    private readonly Stream _output;
    private readonly object _gate = new();
    private ArrayBufferWriter<byte> _pending = new(FlushBytes), _spare = new(FlushBytes);
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder(); // keeps a surrogate pair split between two writes whole
    private readonly Thread _writer;
    private bool _stopping;

    private BackgroundConsoleWriter(Stream output)
    {
        _output = output;
        _writer = new Thread(Run) { IsBackground = true, Name = "console writer" };
        _writer.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>
    /// Replaces Console.Out once per process when standard output is redirected and returns the writer (Console.Out wraps it
    /// in a synchronized writer, which a caller that writes whole lines can skip); otherwise does nothing and returns null.
    /// </summary>
    public static BackgroundConsoleWriter? InstallIfRedirected()
    {
        if (!Console.IsOutputRedirected) return null;
        lock (InstallLock)
        {
            if (_installed is not null) return _installed;
            _installed = new BackgroundConsoleWriter(Console.OpenStandardOutput());
            Console.SetOut(_installed);
            return _installed;
        }
    }

    /// <summary>A writer onto <paramref name="output"/> for tests; stopped (and flushed) by <see cref="Stop"/>.</summary>
    internal static BackgroundConsoleWriter Create(Stream output) => new(output);

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.IsEmpty) return;
        lock (_gate)
        {
            WaitForRoom();
            int before = _pending.WrittenCount;
            _pending.Advance(_encoder.GetBytes(buffer, _pending.GetSpan(Encoding.UTF8.GetMaxByteCount(buffer.Length)), flush: false));
            WakeWriterPast(before);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Write(value.AsSpan());
            Write(CoreNewLine.AsSpan());
        }
    }

    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return;
        lock (_gate)
        {
            WaitForRoom();
            int before = _pending.WrittenCount;
            _pending.Write(utf8);
            WakeWriterPast(before);
        }
    }

    /// <summary>Nothing to do per event: the background thread writes soon. (The console sink flushes after every event.)</summary>
    public override void Flush()
    {
    }

    /// <summary>Wakes the background thread once, when the buffer first passes the flush size (not on every later write).</summary>
    private void WakeWriterPast(int before)
    {
        if (before < FlushBytes && _pending.WrittenCount >= FlushBytes) Monitor.PulseAll(_gate);
    }

    private void WaitForRoom()
    {
        while (_pending.WrittenCount > MaxPendingBytes && !_stopping) Monitor.Wait(_gate, 100);
    }

    private void Run()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            bool last;
            lock (_gate)
            {
                if (_pending.WrittenCount < FlushBytes && !_stopping) Monitor.Wait(_gate, 20);
                batch = _pending;
                _pending = _spare;
                _spare = batch;
                last = _stopping;
                Monitor.PulseAll(_gate);
            }
            try
            {
                if (batch.WrittenCount > 0)
                {
                    _output.Write(batch.WrittenSpan);
                    _output.Flush();
                }
            }
            catch (IOException)
            {
                // The reader went away: the lines are lost, as they would be with a blocking console.
            }
            batch.ResetWrittenCount();
            if (last) return;
        }
    }

    /// <summary>Writes what is buffered and stops the background thread (at process exit).</summary>
    internal void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _writer.Join(TimeSpan.FromSeconds(2));
    }
}

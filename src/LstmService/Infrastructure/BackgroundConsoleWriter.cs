using System.Text;

namespace LstmService.Infrastructure;

/// <summary>
/// Console output that never blocks a request on the pipe: writers append to an in-memory buffer and a background
/// thread writes it to standard output in large chunks (at least every 20 ms, at once past 64 KiB, and at exit).
/// Installed only when standard output is redirected (a container's log pipe, a file), where the console sink writes
/// plain text and one write per event would cost a system call under the sink's lock; on a terminal the console is
/// left as it is (its colours are set apart from the text). Past 8 MiB waiting (a reader that stopped), writers wait.
/// </summary>
internal sealed class BackgroundConsoleWriter : TextWriter
{
    private const int FlushChars = 64 * 1024, MaxPendingChars = 8 * 1024 * 1024;
    private static readonly object InstallLock = new();
    private static BackgroundConsoleWriter? _installed;

    private readonly Stream _output;
    private readonly object _gate = new();
    private StringBuilder _pending = new(FlushChars), _spare = new(FlushChars);
    private readonly byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(4096)];
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder(); // keeps a surrogate pair split between chunks whole
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
    public static TextWriter? InstallIfRedirected()
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

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate) { WaitForRoom(); _pending.Append(value); }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate)
        {
            WaitForRoom();
            _pending.Append(value);
            if (_pending.Length >= FlushChars) Monitor.PulseAll(_gate);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate) { WaitForRoom(); _pending.Append(buffer, index, count); }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate) { WaitForRoom(); _pending.Append(buffer); }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate) { WaitForRoom(); _pending.Append(value).Append(CoreNewLine); }
    }

    /// <summary>Nothing to do per event: the background thread writes soon. (The console sink flushes after every event.)</summary>
    public override void Flush()
    {
    }

    private void WaitForRoom()
    {
        while (_pending.Length > MaxPendingChars && !_stopping) Monitor.Wait(_gate, 100);
    }

    private void Run()
    {
        while (true)
        {
            StringBuilder batch;
            bool last;
            lock (_gate)
            {
                if (_pending.Length < FlushChars && !_stopping) Monitor.Wait(_gate, 20);
                batch = _pending;
                _pending = _spare;
                _spare = batch;
                last = _stopping;
                Monitor.PulseAll(_gate);
            }
            WriteOut(batch);
            batch.Clear();
            if (last) return;
        }
    }

    private void WriteOut(StringBuilder batch)
    {
        try
        {
            foreach (var chunk in batch.GetChunks())
                for (var start = 0; start < chunk.Length; start += 4096)
                {
                    var span = chunk.Span.Slice(start, Math.Min(4096, chunk.Length - start));
                    var n = _encoder.GetBytes(span, _bytes, flush: false);
                    _output.Write(_bytes, 0, n);
                }
            _output.Flush();
        }
        catch (IOException)
        {
            // The reader went away: the lines are lost, as they would be with a blocking console.
        }
    }

    private void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _writer.Join(TimeSpan.FromSeconds(2));
    }
}

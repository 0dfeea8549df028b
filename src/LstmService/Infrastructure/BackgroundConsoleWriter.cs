using System.Buffers;
using System.Text;

namespace LstmService.Infrastructure;

/// <summary>
/// Console output that never blocks a request on the pipe: writers append UTF-8 to an in-memory buffer and a background
/// thread writes it to standard output in large chunks (at least every 20 ms, at once past 256 KiB, and at exit; a line
/// that comes later is written at once).
/// Installed only when standard output is redirected (a container's log pipe, a file), where the console sink writes
/// plain text and one write per event would cost a system call under the sink's lock; on a terminal the console is
/// left as it is (its colours are set apart from the text). Text is encoded as it is appended, so lines already encoded
/// (<see cref="IUtf8LineOutput"/>) go in as they are, in the same order; every call appends whole under one lock, so a
/// line is never split by another. Past 8 MiB waiting (a reader that stopped), writers wait.
/// </summary>
internal sealed class BackgroundConsoleWriter : TextWriter, IUtf8LineOutput
{
    private static readonly object InstallLock = new();
    private static BackgroundConsoleWriter? _installed;

    private readonly Stream _output;
    private readonly int _flushBytes, _maxPendingBytes;
    private readonly object _gate = new();
    private ArrayBufferWriter<byte> _pending, _spare;
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder(); // keeps a surrogate pair split between two writes whole
    private readonly Thread _writer;
    private bool _stopping, _stopped;

    private BackgroundConsoleWriter(Stream output, int flushBytes, int maxPendingBytes)
    {
        _output = output;
        (_flushBytes, _maxPendingBytes) = (flushBytes, maxPendingBytes);
        (_pending, _spare) = (new(flushBytes), new(flushBytes));
        _writer = new Thread(Run) { IsBackground = true, Name = "console writer" };
        _writer.Start();
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
            _installed = Create(Console.OpenStandardOutput());
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _installed.Stop();
            Console.SetOut(_installed);
            return _installed;
        }
    }

    /// <summary>
    /// A writer onto <paramref name="output"/>: written at least every 20 ms and at once past <paramref name="flushBytes"/>;
    /// writers wait while more than <paramref name="maxPendingBytes"/> wait (a reader that stopped).
    /// </summary>
    internal static BackgroundConsoleWriter Create(Stream output, int flushBytes = 256 * 1024, int maxPendingBytes = 8 * 1024 * 1024) =>
        new(output, flushBytes, maxPendingBytes);

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
            Append(buffer);
            Written(before);
        }
    }

    /// <summary>A line built in a StringBuilder (the console sink's), all of its chunks under one lock: never split by another line.</summary>
    public override void Write(StringBuilder? value)
    {
        if (value is null || value.Length == 0) return;
        lock (_gate)
        {
            WaitForRoom();
            int before = _pending.WrittenCount;
            foreach (var chunk in value.GetChunks()) Append(chunk.Span);
            Written(before);
        }
    }

    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            WaitForRoom();
            int before = _pending.WrittenCount;
            Append(buffer);
            Append(CoreNewLine);
            Written(before);
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
            Written(before);
        }
    }

    /// <summary>Nothing to do per event: the background thread writes soon. (The console sink flushes after every event.)</summary>
    public override void Flush()
    {
    }

    /// <summary>Encodes into the pending buffer; the caller holds the lock and has waited for room once for the whole piece.</summary>
    private void Append(ReadOnlySpan<char> text) =>
        _pending.Advance(_encoder.GetBytes(text, _pending.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)), flush: false));

    /// <summary>
    /// After an append: wakes the background thread once, when the buffer first passes the flush size (not on every later
    /// write); once that thread has stopped (at exit), writes at once, so a late line is not lost.
    /// </summary>
    private void Written(int before)
    {
        if (_stopped) WriteOut(_pending);
        else if (before < _flushBytes && _pending.WrittenCount >= _flushBytes) Monitor.PulseAll(_gate);
    }

    private void WaitForRoom()
    {
        while (_pending.WrittenCount > _maxPendingBytes && !_stopping) Monitor.Wait(_gate, 100);
    }

    private void Run()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            bool last;
            lock (_gate)
            {
                if (_pending.WrittenCount < _flushBytes && !_stopping) Monitor.Wait(_gate, 20);
                batch = _pending;
                _pending = _spare;
                _spare = batch;
                last = _stopping;
                Monitor.PulseAll(_gate);
            }
            WriteOut(batch);
            // A burst grew the buffer: it is not kept at that size.
            if (batch.Capacity > 4 * _flushBytes) _spare = new(_flushBytes);
            if (!last) continue;
            lock (_gate)
            {
                // What came in since the last swap, then every later line at once (see Written).
                WriteOut(_pending);
                _stopped = true;
            }
            return;
        }
    }

    private void WriteOut(ArrayBufferWriter<byte> batch)
    {
        try
        {
            if (batch.WrittenCount == 0) return;
            _output.Write(batch.WrittenSpan);
            _output.Flush();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or NotSupportedException)
        {
            // The reader went away: the lines are lost, as they would be with a blocking console.
        }
        finally
        {
            batch.ResetWrittenCount();
        }
    }

    /// <summary>Writes what is buffered and stops the background thread; later lines are written at once. True when it has stopped.</summary>
    internal bool Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        return _writer.Join(TimeSpan.FromSeconds(5));
    }
}

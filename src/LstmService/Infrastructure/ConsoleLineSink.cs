using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace LstmService.Infrastructure;

/// <summary>
/// The console sink used when standard output is redirected (a container's log pipe, a file): each event is formatted on
/// the thread that logs it, into that thread's reused buffer, and the finished line goes to <paramref name="output"/> in
/// one call. Behind <see cref="BackgroundConsoleWriter"/> that is one short lock per event and a system call per 256 KiB,
/// with no hand-off to a worker thread: Serilog's async wrapper woke its thread for most events at thousands of
/// requests a second (measured: about 7% of the service's CPU, half of it in the kernel), and events queued for it
/// outlived the request's garbage.
/// </summary>
internal sealed class ConsoleLineSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    /// <summary>A buffer grown past this (an exception's long stack trace) is dropped after use rather than kept per thread.</summary>
    private const int KeepCapacity = 16 * 1024;

    [ThreadStatic] private static StringWriter? _line;

    public void Emit(LogEvent logEvent)
    {
        var line = _line ??= new StringWriter(new StringBuilder(512), CultureInfo.InvariantCulture);
        var text = line.GetStringBuilder();
        text.Clear();
        formatter.Format(logEvent, line);
        output.Write(text); // one call, so the line is appended whole (BackgroundConsoleWriter, a synchronized writer)
        if (text.Capacity > KeepCapacity) _line = null;
    }
}

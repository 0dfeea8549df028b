using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace LstmService.Infrastructure;

/// <summary>
/// The console sink used when standard output is redirected (a container's log pipe, a file): each event is formatted on
/// the thread that logs it, into that thread's reused buffer, and the finished line goes to <paramref name="output"/> in
/// one call. Behind <see cref="BackgroundConsoleWriter"/> that is one short lock per event and a system call per 256 KiB,
/// with no hand-off to a worker thread: Serilog's async wrapper woke its thread for most events at thousands of
/// requests a second (measured: about 7% of the service's CPU, half of it in the kernel), and events queued for it
/// outlived the request's garbage.
/// </summary>
internal sealed class ConsoleLineSink(ITextFormatter formatter, TextWriter output, bool json = false) : ILogEventSink
{
    /// <summary>A buffer grown past this (an exception's long stack trace) is dropped after use rather than kept per thread.</summary>
    private const int KeepCapacity = 16 * 1024;

    [ThreadStatic] private static StringWriter? _line;

    public void Emit(LogEvent logEvent)
    {
        var line = _line ??= new StringWriter(new StringBuilder(512), CultureInfo.InvariantCulture);
        var text = line.GetStringBuilder();
        text.Clear();
        try { formatter.Format(logEvent, line); }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // A value its format cannot render (a Guid given ":l") made Serilog drop the whole event, silently: the line
            // goes out with the template instead, so the operator still sees it.
            text.Clear();
            WriteUnrendered(logEvent, e, line);
        }
        output.Write(text); // one call, so the line is appended whole (BackgroundConsoleWriter, a synchronized writer)
        if (text.Capacity > KeepCapacity) _line = null;
    }

    private void WriteUnrendered(LogEvent e, Exception error, TextWriter line)
    {
        var source = e.Properties.TryGetValue("SourceContext", out var s) && s is ScalarValue { Value: string name } ? name : "";
        if (json)
        {
            line.Write("{\"@t\":\"");
            line.Write(e.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            line.Write("\",\"@l\":\"");
            line.Write(e.Level);
            line.Write("\",\"@mt\":");
            JsonValueFormatter.WriteQuotedJsonString(e.MessageTemplate.Text, line);
            line.Write(",\"SourceContext\":");
            JsonValueFormatter.WriteQuotedJsonString(source, line);
            line.Write(",\"RenderError\":");
            JsonValueFormatter.WriteQuotedJsonString(error.Message, line);
            line.Write('}');
            line.Write(Environment.NewLine);
            return;
        }
        line.Write(string.Create(CultureInfo.InvariantCulture, $"[{e.Timestamp:HH:mm:ss} {RequestLineFormatter.Level(e.Level) ?? e.Level.ToString()}] {source}: {e.MessageTemplate.Text} (not rendered: {error.Message})"));
        line.Write(Environment.NewLine);
    }
}

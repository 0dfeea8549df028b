using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace LstmService.Infrastructure;

/// <summary>
/// The text format (<see cref="LoggingExtensions.TextTemplate"/>) with the request event, one per request, written by hand:
/// the same characters as Serilog's <see cref="MessageTemplateTextFormatter"/> writes for it (tests compare them), without
/// its general walk over the output and message templates and the list of properties it builds per event. Any other event,
/// or a request event of an unexpected shape (an exception, a property of another type), goes to Serilog's formatter.
/// </summary>
internal sealed class RequestLineFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter Json = new("$type");

    // The output template's own names but SourceContext (which the line writes): an event with a property so named goes to
    // Serilog's formatter, which leaves such properties out of {Properties}.
    private static readonly HashSet<string> OutputTemplateNames = new MessageTemplateParser().Parse(LoggingExtensions.TextTemplate).Tokens
        .OfType<PropertyToken>().Select(t => t.PropertyName).Where(name => name != "SourceContext").ToHashSet();

    private readonly MessageTemplateTextFormatter _general = new(LoggingExtensions.TextTemplate, CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!TryWriteRequest(logEvent, output)) _general.Format(logEvent, output);
    }

    /// <summary>Writes a request event of the expected shape; false, with nothing written, for any other.</summary>
    internal static bool TryWriteRequest(LogEvent e, TextWriter output)
    {
        if (e.Exception is not null || !string.Equals(e.MessageTemplate.Text, RequestLog.Template, StringComparison.Ordinal)) return false;
        var p = e.Properties;
        if (!(p.TryGetValue("RequestMethod", out var m) && m is ScalarValue { Value: string method }
              && p.TryGetValue("RequestPath", out var r) && r is ScalarValue { Value: string path }
              && p.TryGetValue("StatusCode", out var c) && c is ScalarValue { Value: int status }
              && p.TryGetValue("Elapsed", out var t) && t is ScalarValue { Value: double elapsed }
              && p.TryGetValue("SourceContext", out var s) && s is ScalarValue { Value: string source }
              && Level(e.Level) is { } level))
            return false;
        foreach (var name in p.Keys)
            if (OutputTemplateNames.Contains(name)) return false;

        Span<char> text = stackalloc char[32];
        output.Write('[');
        e.Timestamp.TryFormat(text, out int n, "HH:mm:ss", CultureInfo.InvariantCulture);
        output.Write(text[..n]);
        output.Write(' ');
        output.Write(level);
        output.Write("] ");
        output.Write(source);
        output.Write(": HTTP ");
        output.Write(method);
        output.Write(' ');
        output.Write(path);
        output.Write(" responded ");
        status.TryFormat(text, out n, default, CultureInfo.InvariantCulture);
        output.Write(text[..n]);
        output.Write(" in ");
        elapsed.TryFormat(text, out n, "0.000", CultureInfo.InvariantCulture);
        output.Write(text[..n]);
        output.Write(" ms {");
        bool first = true;
        foreach (var (name, value) in p)
        {
            if (name is "RequestMethod" or "RequestPath" or "StatusCode" or "Elapsed" or "SourceContext") continue;
            if (!first) output.Write(',');
            first = false;
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            Json.Format(value, output);
        }
        output.Write('}');
        output.Write(Environment.NewLine);
        return true;
    }

    /// <summary>The text format's three-letter level ({Level:u3}); null for a level outside Serilog's six.</summary>
    internal static string? Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Fatal => "FTL",
        _ => null,
    };
}

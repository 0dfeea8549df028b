using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace LstmService.Infrastructure;

/// <summary>
/// The service's text log line, "[HH:mm:ss LVL] SourceContext: message {other properties as JSON}" and the exception on the
/// lines below (<see cref="LoggingExtensions.TextTemplate"/>'s layout), written token by token without the general output
/// template machinery: strings in the message are literal, other values JSON, as the template's :lj and :j ask.
/// </summary>
internal sealed class LogLineFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter Json = new(typeTagName: null);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        Span<char> head = stackalloc char[15];
        var time = logEvent.Timestamp;
        head[0] = '[';
        TwoDigits(head[1..], time.Hour); head[3] = ':';
        TwoDigits(head[4..], time.Minute); head[6] = ':';
        TwoDigits(head[7..], time.Second); head[9] = ' ';
        Level(logEvent.Level).CopyTo(head[10..]);
        head[13] = ']'; head[14] = ' ';
        output.Write(head);
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source) && source is ScalarValue { Value: string context})
            output.Write(context);
        output.Write(": ");
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is TextToken text) { output.Write(text.Text); continue; }
            var property = (PropertyToken)token;
            if (!logEvent.Properties.TryGetValue(property.PropertyName, out var value)) output.Write(property.ToString());
            else if (value is ScalarValue { Value: string s } && property.Alignment is null) output.Write(s);
            else if (value is ScalarValue) property.Render(logEvent.Properties, output, CultureInfo.InvariantCulture);
            else Json.Format(value, output);
        }
        bool first = true;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (name == Constants.SourceContextPropertyName || InMessage(logEvent.MessageTemplate, name)) continue;
            output.Write(first ? " {" : ", ");
            first = false;
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(": ");
            Json.Format(value, output);
        }
        output.Write(first ? " {}" : "}");
        output.Write('\n');
        if (logEvent.Exception is { } exception) { output.Write(exception.ToString()); output.Write('\n'); }
    }

    private static bool InMessage(MessageTemplate template, string name)
    {
        foreach (var token in template.Tokens)
            if (token is PropertyToken p && p.PropertyName == name) return true;
        return false;
    }

    private static void TwoDigits(Span<char> to, int value)
    {
        to[0] = (char)('0' + value / 10);
        to[1] = (char)('0' + value % 10);
    }

    private static string Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };
}

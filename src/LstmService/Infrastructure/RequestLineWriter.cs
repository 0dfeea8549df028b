using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace LstmService.Infrastructure;

/// <summary>
/// Writes a request's event as the console format's line (the text template, <see cref="LoggingExtensions.TextTemplate"/>, or
/// the compact JSON object) straight into the console buffer as UTF-8, without a Serilog event: the same characters
/// Serilog's formatters write for it (tests compare them). Building the event, dispatching it, formatting it into a string and encoding that again were most of what the
/// log line cost a small forecast. Used only where nothing else could see the event (<see cref="Applies"/>); the level,
/// overrides included, is still the Serilog logger's decision. An event it could not write exactly as Serilog would (an
/// exception, a handler's value other than a string, integer or boolean, a name Serilog treats apart, a very long line)
/// goes through the pipeline instead.
/// </summary>
public sealed class RequestLineWriter
{
    private const int MaxLineBytes = 4096;

    // The names a handler's property may not take here: the message's and the output template's own, and those the
    // middleware adds (Serilog decides which place and value a repeated name keeps).
    private static readonly FrozenSet<string> Reserved = new MessageTemplateParser().Parse(RequestLog.Template).Tokens
        .Concat(new MessageTemplateParser().Parse(LoggingExtensions.TextTemplate).Tokens)
        .OfType<PropertyToken>().Select(t => t.PropertyName)
        .Concat(["Endpoint", "Model", "RequestQuery", "ClientAddress"])
        .ToFrozenSet(StringComparer.Ordinal);

    // What Serilog's JSON strings escape: control characters, the quote and the backslash.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        new string(Enumerable.Range(0, 32).Select(c => (char)c).ToArray()) + "\"\\");

    // What follows the time: the level, the category and the message's first word.
    private static readonly byte[] InformationPrefix = Encoding.UTF8.GetBytes($"INF] {RequestLoggingMiddleware.Category}: HTTP ");
    private static readonly byte[] ErrorPrefix = Encoding.UTF8.GetBytes($"ERR] {RequestLoggingMiddleware.Category}: HTTP ");

    [ThreadStatic] private static byte[]? _line;

    // The compact JSON format's event id: the hash of the message template, the same for every request.
    private static readonly byte[] EventId = Encoding.UTF8.GetBytes(EventIdHash.Compute(RequestLog.Template).ToString("x8", CultureInfo.InvariantCulture));

    private readonly IUtf8LineOutput _output;
    private readonly bool _json;

    /// <param name="output">Where the lines go: the console sink's own buffer.</param>
    /// <param name="logger">The logger whose only sink that is: a middleware given another logger (a host or test that
    /// replaced it) sends its events through that logger's pipeline instead.</param>
    /// <param name="json">The compact JSON format (RenderedCompactJsonFormatter's line) rather than the text template.</param>
    internal RequestLineWriter(IUtf8LineOutput output, Serilog.ILogger logger, bool json = false)
    {
        _output = output;
        Logger = logger;
        _json = json;
    }

    internal Serilog.ILogger Logger { get; }

    /// <summary>
    /// True when the console is the only place request events go and nothing changes them on the way: the "Serilog"
    /// configuration section sets levels alone (no sink, filter, destructuring, property or enricher but the log context,
    /// onto which the service pushes nothing).
    /// </summary>
    internal static bool Applies(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection("Serilog").GetChildren())
        {
            if (Is(child.Key, "MinimumLevel") || Is(child.Key, "LevelSwitches") || Is(child.Key, "Using")) continue;
            if (Is(child.Key, "Enrich") && child.GetChildren().All(e => Is(e.Value ?? e["Name"], "FromLogContext"))) continue;
            return false;
        }
        return true;

        static bool Is(string? key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the entry's line; false, with nothing written, for an entry the pipeline must write.</summary>
    internal bool TryWrite(in RequestLogEntry entry)
    {
        var prefix = entry.Level switch { LogEventLevel.Information => InformationPrefix, LogEventLevel.Error => ErrorPrefix, _ => null };
        if (prefix is null) return false;
        var set = entry.HandlerProperties;
        for (int i = 0; i < set.Count; i++)
            if (!LogEventProperty.IsValidName(set[i].Key) || Reserved.Contains(set[i].Key) || set[i].Value is not (null or string or int or long or bool))
                return false;

        var line = (_line ??= new byte[MaxLineBytes]).AsSpan();
        int at = 0;
        if (!(_json ? Json(line, ref at, entry) : Text(line, ref at, entry, prefix)) || !Literal(line, ref at, Environment.NewLine)) return false;
        _output.WriteUtf8(line[..at]);
        return true;
    }

    /// <summary>The text template's line (<see cref="LoggingExtensions.TextTemplate"/>), without the newline.</summary>
    private static bool Text(Span<byte> line, ref int at, in RequestLogEntry entry, byte[] prefix)
    {
        // "[HH:mm:ss ": the timestamp's own clock time (its offset's), as the template's format shows it.
        var t = entry.Timestamp;
        line[0] = (byte)'[';
        TwoDigits(line[1..], t.Hour);
        line[3] = (byte)':';
        TwoDigits(line[4..], t.Minute);
        line[6] = (byte)':';
        TwoDigits(line[7..], t.Second);
        line[9] = (byte)' ';
        at = 10;
        bool first = true;
        return Bytes(line, ref at, prefix) && Text(line, ref at, entry.Method) && Literal(line, ref at, " ") && Text(line, ref at, entry.Path)
            && Literal(line, ref at, " responded ") && Formatted(line, ref at, entry.StatusCode) && Literal(line, ref at, " in ")
            && Milliseconds(line, ref at, entry.ElapsedMilliseconds) && Literal(line, ref at, " ms {")
            && Collected(line, ref at, ref first, entry, json: false) && Literal(line, ref at, "}");
    }

    /// <summary>
    /// The compact JSON object RenderedCompactJsonFormatter writes (time in UTC, rendered message, event id, level unless
    /// Information, trace and span ids, then every property in the event's order), without the newline.
    /// </summary>
    private static bool Json(Span<byte> line, ref int at, in RequestLogEntry entry)
    {
        bool ok = Literal(line, ref at, "{\"@t\":\"") && Formatted(line, ref at, entry.Timestamp.UtcDateTime, "O")
            && Literal(line, ref at, "\",\"@m\":\"HTTP ") && JsonContent(line, ref at, entry.Method) && Literal(line, ref at, " ")
            && JsonContent(line, ref at, entry.Path) && Literal(line, ref at, " responded ") && Formatted(line, ref at, entry.StatusCode)
            && Literal(line, ref at, " in ") && Milliseconds(line, ref at, entry.ElapsedMilliseconds) && Literal(line, ref at, " ms\",\"@i\":\"")
            && Bytes(line, ref at, EventId) && Literal(line, ref at, "\"");
        if (ok && entry.Level == LogEventLevel.Error) ok = Literal(line, ref at, ",\"@l\":\"Error\"");
        if (ok && entry.TraceId != default) ok = Literal(line, ref at, ",\"@tr\":\"") && Text(line, ref at, entry.TraceId.ToHexString()) && Literal(line, ref at, "\"");
        if (ok && entry.SpanId != default) ok = Literal(line, ref at, ",\"@sp\":\"") && Text(line, ref at, entry.SpanId.ToHexString()) && Literal(line, ref at, "\"");
        // The event's properties in its order: the handler's, the four collected, the template's, then the category.
        bool first = false;
        return ok && Collected(line, ref at, ref first, entry, json: true) && Property(line, ref at, ref first, "RequestMethod", entry.Method) && Property(line, ref at, ref first, "RequestPath", entry.Path)
            && Literal(line, ref at, ",\"StatusCode\":") && Formatted(line, ref at, entry.StatusCode) && Literal(line, ref at, ",\"Elapsed\":")
            && Formatted(line, ref at, entry.ElapsedMilliseconds, "R")
            && Property(line, ref at, ref first, Serilog.Core.Constants.SourceContextPropertyName, RequestLoggingMiddleware.Category)
            && Literal(line, ref at, "}");
    }

    /// <summary>
    /// The properties the message does not name, in the event's order: the handler's, then the endpoint, model, query and
    /// client's address the middleware collected. Compact JSON doubles a name's leading '@' (its own names start with one).
    /// </summary>
    private static bool Collected(Span<byte> line, ref int at, ref bool first, in RequestLogEntry entry, bool json)
    {
        var set = entry.HandlerProperties;
        bool ok = true;
        for (int i = 0; ok && i < set.Count; i++)
            ok = Property(line, ref at, ref first, json && set[i].Key.StartsWith('@') ? "@" + set[i].Key : set[i].Key, set[i].Value);
        if (ok && entry.Endpoint is { } endpoint) ok = Property(line, ref at, ref first, "Endpoint", endpoint.RoutePattern.RawText);
        if (ok && entry.Model is not null) ok = Property(line, ref at, ref first, "Model", entry.Model);
        if (ok && entry.Query is not null) ok = Property(line, ref at, ref first, "RequestQuery", entry.Query);
        if (ok && entry.ClientAddress is not null) ok = Property(line, ref at, ref first, "ClientAddress", entry.ClientAddress);
        return ok;
    }

    /// <summary>
    /// Milliseconds as the template's "0.000" writes them (15 significant digits, then rounded half away from zero at the
    /// third decimal), computed directly below 10^6 ms unless the value lies within 10^-6 thousandths of a tie between two
    /// thousandths, where the general formatter decides. Below 10^6 ms, 15 significant digits move the value by at most
    /// 5e-7 thousandths and the product by 1000 by at most 6e-8 more, so outside that margin both round the same way.
    /// </summary>
    private static bool Milliseconds(Span<byte> line, ref int at, double ms)
    {
        if (ms is >= 0 and < 1e6)
        {
            double scaled = ms * 1000, whole = Math.Floor(scaled), fraction = scaled - whole;
            if (Math.Abs(fraction - 0.5) > 1e-6)
            {
                long thousandths = (long)whole + (fraction > 0.5 ? 1 : 0);
                return Formatted(line, ref at, thousandths / 1000) && Literal(line, ref at, ".") && Formatted(line, ref at, thousandths % 1000, "D3");
            }
        }
        return Formatted(line, ref at, ms, "0.000");
    }

    private static void TwoDigits(Span<byte> destination, int value)
    {
        destination[0] = (byte)('0' + value / 10);
        destination[1] = (byte)('0' + value % 10);
    }

    /// <summary><c>"name":value</c> as Serilog's JSON value formatter writes it, after a comma unless first.</summary>
    private static bool Property(Span<byte> line, ref int at, ref bool first, string name, object? value)
    {
        if (!first && !Literal(line, ref at, ",")) return false;
        first = false;
        if (!JsonString(line, ref at, name) || !Literal(line, ref at, ":")) return false;
        return value switch
        {
            null => Literal(line, ref at, "null"),
            string text => JsonString(line, ref at, text),
            bool flag => Literal(line, ref at, flag ? "true" : "false"),
            int number => Formatted(line, ref at, number),
            long number => Formatted(line, ref at, number),
            _ => false,
        };
    }

    private static bool Formatted<T>(Span<byte> line, ref int at, T value, string? format = null) where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(line[at..], out int n, format, CultureInfo.InvariantCulture)) return false;
        at += n;
        return true;
    }

    /// <summary>A quoted JSON string with Serilog's escapes (\" \\ \n \r \f \t, other control characters as \uXXXX).</summary>
    private static bool JsonString(Span<byte> line, ref int at, string text) =>
        Literal(line, ref at, "\"") && JsonContent(line, ref at, text) && Literal(line, ref at, "\"");

    /// <summary>A JSON string's content, escaped as Serilog escapes it (without the quotes).</summary>
    private static bool JsonContent(Span<byte> line, ref int at, string text)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            int clean = rest.IndexOfAny(Escaped);
            if (clean < 0) clean = rest.Length;
            // The escaped characters are ASCII, so a surrogate pair is never split between two clean runs.
            if (Utf8.FromUtf16(rest[..clean], line[at..], out _, out int written) != OperationStatus.Done) return false;
            at += written;
            if (clean == rest.Length) break;
            char c = rest[clean];
            bool ok = c switch
            {
                '"' => Literal(line, ref at, "\\\""),
                '\\' => Literal(line, ref at, "\\\\"),
                '\n' => Literal(line, ref at, "\\n"),
                '\r' => Literal(line, ref at, "\\r"),
                '\f' => Literal(line, ref at, "\\f"),
                '\t' => Literal(line, ref at, "\\t"),
                _ => Literal(line, ref at, "\\u") && Formatted(line, ref at, (int)c, "X4"),
            };
            if (!ok) return false;
            rest = rest[(clean + 1)..];
        }
        return true;
    }

    /// <summary>A string as UTF-8 (an unpaired surrogate becomes U+FFFD, as the console's encoder makes it).</summary>
    private static bool Text(Span<byte> line, ref int at, ReadOnlySpan<char> text)
    {
        if (Utf8.FromUtf16(text, line[at..], out _, out int written) != OperationStatus.Done) return false;
        at += written;
        return true;
    }

    private static bool Bytes(Span<byte> line, ref int at, byte[] bytes)
    {
        if (!bytes.AsSpan().TryCopyTo(line[at..])) return false;
        at += bytes.Length;
        return true;
    }

    /// <summary>ASCII text as it is.</summary>
    private static bool Literal(Span<byte> line, ref int at, string ascii)
    {
        if (line.Length - at < ascii.Length) return false;
        at += Encoding.ASCII.GetBytes(ascii, line[at..]);
        return true;
    }
}

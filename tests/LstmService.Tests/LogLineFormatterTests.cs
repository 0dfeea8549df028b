using LstmService.Infrastructure;
using Serilog;
using Serilog.Events;

namespace LstmService.Tests;

/// <summary>The redirected text log line (LogLineFormatter), written by hand rather than by Serilog's output template.</summary>
public sealed class LogLineFormatterTests
{
    internal static LogEvent Capture(Action<ILogger> log)
    {
        var sink = new CapturingSerilogSink();
        using (var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger()) log(logger);
        return Assert.Single(sink.Events);
    }

    internal static string Format(LogEvent logEvent)
    {
        var output = new StringWriter();
        new LogLineFormatter().Format(logEvent, output);
        return output.ToString();
    }

    [Fact]
    public void A_request_event_reads_like_the_template_literal_strings_formatted_numbers_and_other_properties_as_json()
    {
        var e = Capture(l => l.ForContext("SourceContext", "Serilog.AspNetCore.RequestLoggingMiddleware").ForContext("Model", "bench").ForContext("Version", 3)
            .Information("HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.000} ms", "POST", "/models/bench/forecast", 200, 0.12345));

        Assert.Equal($"[{e.Timestamp:HH:mm:ss} INF] Serilog.AspNetCore.RequestLoggingMiddleware: HTTP POST /models/bench/forecast responded 200 in 0.123 ms " +
            "{\"Version\": 3, \"Model\": \"bench\"}\n", Format(e));
    }

    [Fact]
    public void Strings_in_the_message_are_literal_structures_are_json_and_an_exception_follows_on_its_own_lines()
    {
        var error = new InvalidOperationException("boom \"quoted\"");
        var e = Capture(l => l.ForContext("SourceContext", "Jobs").Error(error, "Job {Name} failed on {Values}", "a \"b\"", new[] { 1, 2 }));

        Assert.Equal($"[{e.Timestamp:HH:mm:ss} ERR] Jobs: Job a \"b\" failed on [1,2] {{}}\n{error}\n", Format(e));
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "VRB")]
    [InlineData(LogEventLevel.Debug, "DBG")]
    [InlineData(LogEventLevel.Warning, "WRN")]
    [InlineData(LogEventLevel.Fatal, "FTL")]
    public void Each_level_has_its_three_letters_and_an_event_without_a_source_still_has_the_separator(LogEventLevel level, string letters)
    {
        var e = Capture(l => l.Write(level, "Plain {Count}", 7));

        Assert.Equal($"[{e.Timestamp:HH:mm:ss} {letters}] : Plain 7 {{}}\n", Format(e));
    }
}

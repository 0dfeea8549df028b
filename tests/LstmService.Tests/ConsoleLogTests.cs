using System.Globalization;
using System.Net;
using System.Text.Json;
using LstmService.Infrastructure;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace LstmService.Tests;

/// <summary>
/// The console log as a container sees it (standard output redirected): <see cref="ConsoleLineSink"/> formats each event on
/// the logging thread and writes it as one line, and the service process writes its request events there in either format.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class ConsoleLogTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private static LogEvent RequestEvent(int thread, int index) => new(
        new DateTimeOffset(2026, 11, 30, 14, 5, 9, TimeSpan.Zero), LogEventLevel.Information, null,
        new MessageTemplateParser().Parse(RequestLog.Template),
        [
            new LogEventProperty("RequestMethod", new ScalarValue("POST")),
            new LogEventProperty("RequestPath", new ScalarValue($"/models/m{thread}/forecast")),
            new LogEventProperty("StatusCode", new ScalarValue(200)),
            new LogEventProperty("Elapsed", new ScalarValue(1.25)),
            new LogEventProperty("SourceContext", new ScalarValue("Serilog.AspNetCore.RequestLoggingMiddleware")),
            new LogEventProperty("Index", new ScalarValue(index)),
        ]);

    [Fact]
    public void An_event_becomes_the_text_template_line()
    {
        var output = new StringWriter();
        var sink = new ConsoleLineSink(new MessageTemplateTextFormatter(LoggingExtensions.TextTemplate, CultureInfo.InvariantCulture), output);
        sink.Emit(RequestEvent(thread: 3, index: 7));
        Assert.Equal("[14:05:09 INF] Serilog.AspNetCore.RequestLoggingMiddleware: HTTP POST /models/m3/forecast responded 200 in 1.250 ms {\"Index\":7}"
            + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Events_logged_from_many_threads_at_once_come_out_as_whole_lines()
    {
        const int threads = 8, perThread = 2_000;
        var text = new StringWriter();
        var sink = new ConsoleLineSink(new MessageTemplateTextFormatter(LoggingExtensions.TextTemplate, CultureInfo.InvariantCulture), TextWriter.Synchronized(text));
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < perThread; i++) sink.Emit(RequestEvent(t, i));
        });

        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(threads * perThread, lines.Length);
        var seen = new HashSet<(int, int)>();
        foreach (var line in lines)
        {
            var match = System.Text.RegularExpressions.Regex.Match(line,
                @"^\[14:05:09 INF\] Serilog\.AspNetCore\.RequestLoggingMiddleware: HTTP POST /models/m(\d)/forecast responded 200 in 1\.250 ms \{""Index"":(\d+)\}$");
            Assert.True(match.Success, $"A mangled line: {line}");
            Assert.True(seen.Add((int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value))), $"Written twice: {line}");
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task The_service_writes_each_request_to_its_redirected_standard_output_and_flushes_it_at_exit(string format)
    {
        var service = await ServiceProcess.StartAsync(_directory, new Dictionary<string, string> { ["Logs:Format"] = format });
        await using (service)
        {
            var response = await service.Client.PostJsonAsync("/models/absent-model/forecast", new { series = new[] { new { history = Api.Sine(24) } } });
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            // Stopped at once: a line still buffered must be written at exit.
            await service.TerminateAsync(TimeSpan.FromSeconds(30));
        }

        var lines = service.Output.Split('\n').Where(l => l.Contains("/models/absent-model/forecast")).ToList();
        var line = Assert.Single(lines);
        if (format == "text")
        {
            Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] Serilog\.AspNetCore\.RequestLoggingMiddleware: HTTP POST /models/absent-model/forecast responded 404 in [0-9.]+ ms \{.*""Model"":""absent-model"".*\}$", line);
        }
        else
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal("HTTP POST /models/absent-model/forecast responded 404 in " + json.GetProperty("Elapsed").GetDouble().ToString("0.000", CultureInfo.InvariantCulture) + " ms",
                json.GetProperty("@m").GetString());
            Assert.Equal(404, json.GetProperty("StatusCode").GetInt32());
            Assert.Equal("absent-model", json.GetProperty("Model").GetString());
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using LstmService.Infrastructure;
using Serilog.Events;
using Serilog.Formatting;
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
        var sink = new ConsoleLineSink(new RequestLineFormatter(), output);
        sink.Emit(RequestEvent(thread: 3, index: 7));
        Assert.Equal("[14:05:09 INF] Serilog.AspNetCore.RequestLoggingMiddleware: HTTP POST /models/m3/forecast responded 200 in 1.250 ms {\"Index\":7}"
            + Environment.NewLine, output.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_event_whose_value_cannot_take_its_format_still_comes_out(bool json)
    {
        // ":l" is a string's format; a Guid given it throws in Serilog's renderer, which dropped the demo's start-up line.
        var id = Guid.Parse("0b9f3a52-7c1e-4d2a-9a8e-5f6b7c8d9e0f");
        var e = new LogEvent(new DateTimeOffset(2026, 12, 1, 14, 5, 9, TimeSpan.Zero), LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("Demo: job {JobId:l} queued"),
            [new LogEventProperty("JobId", new ScalarValue(id)), new LogEventProperty("SourceContext", new ScalarValue("LstmService.Demo.DemoModelSeeder"))]);
        var output = new StringWriter();
        ITextFormatter formatter = json ? new Serilog.Formatting.Compact.RenderedCompactJsonFormatter() : new RequestLineFormatter();
        new ConsoleLineSink(formatter, output, json).Emit(e);
        var line = output.ToString();
        Assert.EndsWith(Environment.NewLine, line);
        Assert.Contains("Demo: job {JobId:l} queued", line);
        Assert.Contains("LstmService.Demo.DemoModelSeeder", line);
        if (json)
        {
            var parsed = System.Text.Json.JsonDocument.Parse(line).RootElement;
            Assert.Equal("Information", parsed.GetProperty("@l").GetString());
            Assert.Contains("Format", parsed.GetProperty("RenderError").GetString());
        }
        else Assert.StartsWith("[14:05:09 INF] LstmService.Demo.DemoModelSeeder: Demo: job {JobId:l} queued (not rendered: ", line);
    }

    [Fact]
    public void Events_logged_from_many_threads_at_once_come_out_as_whole_lines()
    {
        const int threads = 8, perThread = 2_000;
        var text = new StringWriter();
        var sink = new ConsoleLineSink(new RequestLineFormatter(), TextWriter.Synchronized(text));
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

    [Fact]
    public void Request_events_are_written_as_Serilogs_formatter_writes_them()
    {
        var serilog = new MessageTemplateTextFormatter(LoggingExtensions.TextTemplate, CultureInfo.InvariantCulture);
        var ours = new RequestLineFormatter();
        var rng = new Random(11);
        string Text() => new string(Enumerable.Range(0, rng.Next(0, 12)).Select(_ => "ab/{}\"\\\n\té€😀 01"[rng.Next(16)]).ToArray());
        LogEventPropertyValue Value() => rng.Next(8) switch
        {
            0 => new ScalarValue(Text()),
            1 => new ScalarValue(rng.Next(-1000, 1000)),
            2 => new ScalarValue(rng.NextDouble() * 1e6),
            3 => new ScalarValue(null),
            4 => new ScalarValue(rng.Next(2) == 0),
            5 => new ScalarValue((long)rng.Next() << 20),
            6 => new SequenceValue([new ScalarValue(1), new ScalarValue("x\"y")]),
            _ => new ScalarValue(Guid.NewGuid().ToString()),
        };
        var levels = Enum.GetValues<LogEventLevel>();
        int handWritten = 0;
        for (int i = 0; i < 3_000; i++)
        {
            var properties = new List<LogEventProperty>
            {
                new("RequestMethod", new ScalarValue(rng.Next(2) == 0 ? "POST" : Text())),
                new("RequestPath", new ScalarValue("/models/" + Text())),
                new("StatusCode", new ScalarValue(rng.Next(100, 600))),
                new("Elapsed", new ScalarValue(rng.NextDouble() * Math.Pow(10, rng.Next(-3, 5)))),
                new("SourceContext", new ScalarValue("Serilog.AspNetCore.RequestLoggingMiddleware")),
            };
            for (int k = rng.Next(0, 6); k > 0; k--) properties.Add(new LogEventProperty("P" + k + Text().Replace("{", "").Replace("}", "").Replace(" ", "").Replace("\"", "").Replace("\\", "").Replace("\n", "").Replace("\t", "") + "x", Value()));
            if (rng.Next(10) == 0) properties.Add(new LogEventProperty("Level", Value())); // an output template name: Serilog's own rendering
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(properties));
            var e = new LogEvent(DateTimeOffset.UnixEpoch.AddSeconds(rng.NextInt64(0, 4_000_000_000)).ToOffset(TimeSpan.FromMinutes(rng.Next(-12, 13) * 60)),
                levels[rng.Next(levels.Length)], rng.Next(20) == 0 ? new InvalidOperationException("boom") : null, new MessageTemplateParser().Parse(RequestLog.Template),
                properties.GroupBy(x => x.Name).Select(g => g.First()));
            var expected = new StringWriter();
            serilog.Format(e, expected);
            var actual = new StringWriter();
            ours.Format(e, actual);
            Assert.Equal(expected.ToString(), actual.ToString());
            // Written by hand unless the event has an exception or a property named like the output template's own.
            bool usual = e.Exception is null && !e.Properties.ContainsKey("Level");
            Assert.Equal(usual, RequestLineFormatter.TryWriteRequest(e, new StringWriter()));
            handWritten += usual ? 1 : 0;
        }
        Assert.True(handWritten > 2_000, $"{handWritten} of 3,000 written by hand");
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

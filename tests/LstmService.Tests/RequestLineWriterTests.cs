using System.Diagnostics;
using System.Globalization;
using System.Text;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace LstmService.Tests;

/// <summary>
/// <see cref="RequestLineWriter"/>: the request line written straight to the console is, character for character, the
/// line Serilog's formatter writes for the event the pipeline would have carried; anything else goes to the pipeline; it is
/// used only where the configuration sends events nowhere else; and the console writer keeps its lines whole and in order.
/// </summary>
public sealed class RequestLineWriterTests
{
    private sealed class CapturedLines : IUtf8LineOutput
    {
        private readonly MemoryStream _bytes = new();

        public int Writes { get; private set; }

        public byte[] Bytes => _bytes.ToArray();

        public string Text => Encoding.UTF8.GetString(_bytes.ToArray());

        public void WriteUtf8(ReadOnlySpan<byte> utf8)
        {
            Writes++;
            _bytes.Write(utf8);
        }

        public void Clear() => _bytes.SetLength(0);
    }

    private static readonly string[] ReservedNames = ["RequestMethod", "RequestPath", "StatusCode", "Elapsed", "SourceContext", "Endpoint", "Model", "RequestQuery", "ClientAddress", "Level", "Message", "Timestamp", "Properties", "NewLine", "Exception"];

    /// <summary>
    /// The service's redirected console pipeline as <see cref="LoggingExtensions.AddSerilogLogging"/> builds it (the log context
    /// enricher, <see cref="ConsoleLineSink"/> with the format's formatter, the middleware's category logger), writing UTF-8
    /// into <paramref name="bytes"/> with the console's encoding.
    /// </summary>
    private static Serilog.ILogger ConsolePipeline(bool json, MemoryStream bytes) =>
        new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext()
            .WriteTo.Sink(new ConsoleLineSink(json ? new RenderedCompactJsonFormatter() : new RequestLineFormatter(), new StreamWriter(bytes, new UTF8Encoding(false)) { AutoFlush = true }))
            .CreateLogger().ForContext(Serilog.Core.Constants.SourceContextPropertyName, RequestLoggingMiddleware.Category);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_requests_are_written_as_Serilogs_formatter_writes_them_or_left_to_the_pipeline(bool json)
    {
        var rng = new Random(23);
        var middleware = new RequestLoggingMiddleware(_ => Task.CompletedTask, new LoggerConfiguration().CreateLogger());
        var lines = new CapturedLines();
        var writer = new RequestLineWriter(lines, Serilog.Core.Logger.None, json);
        var pipelineBytes = new MemoryStream();
        var pipeline = ConsolePipeline(json, pipelineBytes);
        // Picked one char at a time, so a surrogate pair may come whole, alone or halved (each encoder writes U+FFFD for a half).
        string Text(int max = 12) => new(Enumerable.Range(0, rng.Next(0, max)).Select(_ => "ab/{}\"\\\n\r\t\f\u0001\u001fé€😀 0?=&"[rng.Next(22)]).ToArray());
        string Clean(string s) => s + (rng.Next(4) == 0 ? "😀" : "");
        object? Value() => rng.Next(10) switch
        {
            0 or 1 => Clean(Text()),
            2 => rng.Next(-1000, 1000),
            3 => (long)rng.Next() << 20,
            4 => rng.Next(2) == 0,
            5 => null,
            6 => rng.NextDouble(),
            7 => Guid.NewGuid(),
            8 => DayOfWeek.Friday,
            _ => rng.Next(100),
        };
        // Milliseconds of every size; ties between two thousandths and the doubles either side of one, up to 10^6 ms.
        double Elapsed()
        {
            double tie = (rng.NextInt64(0, rng.Next(2) == 0 ? 200_000 : 1_000_000_000) + 0.5) / 1000;
            return rng.Next(6) switch { 0 => tie, 1 => Math.BitIncrement(tie), 2 => Math.BitDecrement(tie), _ => rng.NextDouble() * Math.Pow(10, rng.Next(-4, 9)) };
        }
        LogEventLevel[] levels = [LogEventLevel.Information, LogEventLevel.Information, LogEventLevel.Error, LogEventLevel.Warning, LogEventLevel.Debug];
        int direct = 0;
        for (int i = 0; i < 4_000; i++)
        {
            var set = new List<KeyValuePair<string, object?>>();
            for (int k = rng.Next(0, 4); k > 0; k--)
            {
                string name = rng.Next(30) switch { 0 => ReservedNames[rng.Next(ReservedNames.Length)], 1 => " ", 2 => "", 3 => "@p" + k, _ => "P" + k + Clean(Text(5)) };
                if (set.All(p => p.Key != name)) set.Add(new(name, Value()));
            }
            string pattern = rng.Next(3) switch { 0 => "/models/{name}/forecast", 1 => "/health/live", _ => "/x/é€😀" };
            // A pattern built in code has no raw text: the Endpoint property is null.
            var route = rng.Next(6) == 0 ? RoutePatternFactory.Pattern(RoutePatternFactory.Segment(RoutePatternFactory.LiteralPart("built"))) : RoutePatternFactory.Parse(pattern);
            var endpoint = rng.Next(5) == 0 ? null : new RouteEndpoint(_ => Task.CompletedTask, route, 0, EndpointMetadataCollection.Empty, null);
            var entry = new RequestLogEntry(
                DateTimeOffset.UnixEpoch.AddSeconds(rng.NextInt64(0, 4_000_000_000)).ToOffset(TimeSpan.FromMinutes(rng.Next(-12, 13) * 60)),
                levels[rng.Next(levels.Length)], rng.Next(3) == 0 ? Clean(Text()) : "POST", "/models/" + Clean(Text(rng.Next(5) == 0 ? 3000 : 12)),
                rng.Next(100, 600), Elapsed(), set, endpoint,
                rng.Next(2) == 0 ? Clean(Text()) : null, rng.Next(3) == 0 ? "?" + Clean(Text()) : null,
                rng.Next(2) == 0 ? ActivityTraceId.CreateRandom() : default, rng.Next(2) == 0 ? ActivitySpanId.CreateRandom() : default,
                rng.Next(4) switch { 0 => null, 1 => "203.0.113.7", 2 => "2001:db8::1%3", _ => "::1" });

            lines.Clear();
            bool written = writer.TryWrite(entry);
            pipelineBytes.SetLength(0);
            pipeline.Write(middleware.Event(entry, null));
            var expected = pipelineBytes.ToArray();
            // Written directly unless the level, a name or a value is unusual or the line is longer than the writer's buffer.
            bool usual = entry.Level is LogEventLevel.Information or LogEventLevel.Error && expected.Length <= 4096
                && set.All(p => p.Key.Trim().Length > 0 && !ReservedNames.Contains(p.Key) && p.Value is null or string or int or long or bool);
            Assert.Equal(usual, written);
            if (!written)
            {
                Assert.Empty(lines.Bytes);
                continue;
            }
            direct++;
            // Byte for byte; as text on failure, for a readable difference.
            if (!expected.AsSpan().SequenceEqual(lines.Bytes)) Assert.Equal(Encoding.UTF8.GetString(expected), lines.Text);
        }
        Assert.True(direct > 1_000, $"{direct} of 4,000 written directly");
    }

    [Fact]
    public void The_usual_forecast_line()
    {
        var lines = new CapturedLines();
        var entry = new RequestLogEntry(new DateTimeOffset(2026, 11, 30, 9, 5, 7, TimeSpan.Zero), LogEventLevel.Information, "POST", "/models/m1/forecast", 200, 0.0345,
            [new("Version", 3), new("SeriesCount", 1)], new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/models/{name}/forecast"), 0, EndpointMetadataCollection.Empty, null),
            "m1", null);
        Assert.True(new RequestLineWriter(lines, Serilog.Core.Logger.None).TryWrite(entry));
        Assert.Equal("[09:05:07 INF] Serilog.AspNetCore.RequestLoggingMiddleware: HTTP POST /models/m1/forecast responded 200 in 0.035 ms "
            + "{\"Version\":3,\"SeriesCount\":1,\"Endpoint\":\"/models/{name}/forecast\",\"Model\":\"m1\"}" + Environment.NewLine, lines.Text);
        Assert.Equal(1, lines.Writes);
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("""{"Serilog":{"MinimumLevel":{"Default":"Information","Override":{"Microsoft.AspNetCore":"Warning"}}}}""", true)]
    [InlineData("""{"Serilog":{"Enrich":["FromLogContext"],"Using":["Serilog.Sinks.Console"]}}""", true)]
    [InlineData("""{"serilog":{"enrich":[{"Name":"FromLogContext"}],"minimumLevel":"Debug"}}""", true)]
    [InlineData("""{"Serilog":{"Enrich":["FromLogContext","WithMachineName"]}}""", false)]
    [InlineData("""{"Serilog":{"WriteTo":[{"Name":"File","Args":{"path":"log.txt"}}]}}""", false)]
    [InlineData("""{"Serilog":{"Filter":[{"Name":"ByExcluding","Args":{"expression":"true"}}]}}""", false)]
    [InlineData("""{"Serilog":{"Destructure":[{"Name":"ToMaximumStringLength","Args":{"maximumStringLength":8}}]}}""", false)]
    [InlineData("""{"Serilog":{"Properties":{"Application":"lstm"}}}""", false)]
    [InlineData("""{"Serilog":{"AuditTo":[{"Name":"File"}]}}""", false)]
    public void Only_a_configuration_that_sends_events_nowhere_else_and_changes_nothing_takes_the_direct_line(string json, bool applies)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        Assert.Equal(applies, RequestLineWriter.Applies(configuration));
    }

    [Theory]
    [InlineData(LogEventLevel.Information, 2, 1)] // the 200 and the 503 directly, the exception through the pipeline
    [InlineData(LogEventLevel.Warning, 1, 1)] // the 503 (Error) directly, the exception through the pipeline
    [InlineData(LogEventLevel.Fatal, 0, 0)]
    public async Task The_middleware_asks_the_logger_for_the_level_and_sends_exceptions_through_the_pipeline(LogEventLevel categoryLevel, int direct, int throughPipeline)
    {
        var sink = new CapturingSerilogSink();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().MinimumLevel.Override(RequestLoggingMiddleware.Category, categoryLevel).WriteTo.Sink(sink).CreateLogger();
        var lines = new CapturedLines();
        var services = new ServiceCollection().AddSingleton(new RequestLineWriter(lines, logger)).BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseMiddleware<RequestLoggingMiddleware>(logger);
        app.Run(http =>
        {
            RequestLog.Set(http, "SeriesCount", 2);
            if (http.Request.Path == "/throw") throw new InvalidOperationException("handler failed");
            http.Response.StatusCode = http.Request.Path == "/busy" ? 503 : 200;
            return Task.CompletedTask;
        });
        var pipeline = app.Build();
        foreach (var path in new[] { "/ok", "/busy", "/throw" })
        {
            var http = new DefaultHttpContext { RequestServices = services };
            http.Request.Method = "GET";
            http.Request.Path = path;
            if (path == "/throw") await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline(http));
            else await pipeline(http);
        }

        var written = lines.Text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(direct, written.Length);
        Assert.All(written, line => Assert.Matches(@"^\[\d\d:\d\d:\d\d (INF|ERR)\] Serilog\.AspNetCore\.RequestLoggingMiddleware: HTTP GET /(ok|busy) responded (200|503) in [0-9]+\.[0-9]{3} ms \{""SeriesCount"":2\}$", line));
        Assert.Equal(throughPipeline, sink.Events.Count);
        Assert.All(sink.Events, e => Assert.Equal(("handler failed", LogEventLevel.Error), (e.Exception?.Message, e.Level)));
    }

    [Theory]
    [InlineData(true, LogEventLevel.Warning)]  // a limit's refusal (too many heavy requests): the configuration at work
    [InlineData(false, LogEventLevel.Error)]   // any other 503 still says the service failed
    public async Task A_503_a_limit_answered_is_a_warning(bool backpressure, LogEventLevel expected)
    {
        var sink = new CapturingSerilogSink();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        app.UseMiddleware<RequestLoggingMiddleware>(logger);
        app.Run(http =>
        {
            if (backpressure) RequestLog.MarkBackpressure(http);
            http.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/models/m/training-jobs";
        await app.Build()(http);
        Assert.Equal(expected, Assert.Single(sink.Events).Level);
    }

    [Fact]
    public async Task Control_characters_of_a_decoded_path_are_written_percent_encoded()
    {
        // /models/a%0A%5B14:31:00%20ERR%5D... had written a line of the client's own making into the text log.
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().CreateLogger();
        var lines = new CapturedLines();
        var services = new ServiceCollection().AddSingleton(new RequestLineWriter(lines, logger)).BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseMiddleware<RequestLoggingMiddleware>(logger);
        app.Run(http => { http.Response.StatusCode = 401; return Task.CompletedTask; });
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = "GET";
        // As Kestrel hands it over, decoded (a string's implicit conversion would decode the %0A at its end once more).
        http.Request.Path = new PathString("/models/a\n[14:31:00 ERR] LstmService: forged\u001b[31m\u2028é\u009b\u202e%0A");
        await app.Build()(http);

        var line = Assert.Single(lines.Text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("HTTP GET /models/a%0A[14:31:00 ERR] LstmService: forged%1B[31m%E2%80%A8é%C2%9B%E2%80%AE%250A responded 401", line);
        Assert.DoesNotContain('\u001b', line);
    }

    [Fact]
    public async Task A_middleware_given_another_logger_than_the_writers_sends_events_through_that_logger()
    {
        var sink = new CapturingSerilogSink();
        var replaced = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var lines = new CapturedLines();
        var writer = new RequestLineWriter(lines, new LoggerConfiguration().CreateLogger());
        var middleware = new RequestLoggingMiddleware(http => { http.Response.StatusCode = 204; return Task.CompletedTask; }, replaced, writer);
        await middleware.InvokeAsync(new DefaultHttpContext { Request = { Method = "GET", Path = "/x" } });
        Assert.Equal("", lines.Text);
        Assert.Equal("204", Assert.Single(sink.Events).Properties["StatusCode"].ToString());
    }

    /// <summary>A stream that sometimes stalls, so writers catch up with the background thread and wait for room.</summary>
    private sealed class SlowStream(Stream inner) : Stream
    {
        private int _writes;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (++_writes % 7 == 0) Thread.Sleep(2);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void The_console_writer_keeps_every_line_whole_and_each_threads_lines_in_order_under_back_pressure()
    {
        const int threads = 4, perThread = 3_000;
        var bytes = new MemoryStream();
        // Small limits, so the buffer passes its flush size and its waiting limit often.
        var console = BackgroundConsoleWriter.Create(new SlowStream(bytes), flushBytes: 4 * 1024, maxPendingBytes: 16 * 1024);
        var sink = new ConsoleLineSink(new MessageTemplateTextFormatter("{Message:l}{NewLine}", CultureInfo.InvariantCulture), console);
        var template = new Serilog.Parsing.MessageTemplateParser().Parse("{Line}");
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var rng = new Random(t);
            for (int i = 0; i < perThread; i++)
            {
                // Some lines longer than the sink keeps its buffer for (its StringBuilder then grows in several chunks every time).
                string line = $"t{t} {i} é€😀 {new string((char)('a' + t), rng.Next(0, rng.Next(10) == 0 ? 20_000 : 100))}";
                switch (i % 3)
                {
                    case 0: console.WriteUtf8(Encoding.UTF8.GetBytes(line + Environment.NewLine)); break;
                    case 1: console.WriteLine(line); break;
                    default: sink.Emit(new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, template, [new("Line", new ScalarValue(line))])); break;
                }
            }
        });
        Assert.True(console.Stop(), "the background thread did not stop");

        var lines = Encoding.UTF8.GetString(bytes.ToArray()).Split(Environment.NewLine);
        Assert.Equal("", lines[^1]);
        Assert.Equal(threads * perThread, lines.Length - 1);
        var next = new int[threads];
        foreach (var line in lines[..^1])
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^t(\d) (\d+) é€😀 ([a-d]*)$");
            Assert.True(match.Success, $"A mangled line: {line[..Math.Min(line.Length, 200)]}");
            int t = int.Parse(match.Groups[1].Value), i = int.Parse(match.Groups[2].Value);
            Assert.Equal(next[t]++, i);
            Assert.All(match.Groups[3].Value, c => Assert.Equal((char)('a' + t), c));
        }
    }

    [Fact]
    public void The_console_writer_keeps_a_surrogate_pair_written_in_two_calls_whole_and_writes_lines_that_come_after_it_stopped()
    {
        var bytes = new MemoryStream();
        var console = BackgroundConsoleWriter.Create(bytes);
        foreach (char c in "one 😀\n") console.Write(c);
        Assert.True(console.Stop());
        console.WriteUtf8("two\n"u8);
        console.WriteLine("three");
        Assert.Equal("one 😀\ntwo\nthree" + Environment.NewLine, Encoding.UTF8.GetString(bytes.ToArray()));
    }
}

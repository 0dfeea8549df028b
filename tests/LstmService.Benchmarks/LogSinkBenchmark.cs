using System.Diagnostics;
using System.Globalization;
using LstmService.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace LstmService.Benchmarks;

/// <summary>
/// CPU per request-log event of the service's console paths, each in a child process whose standard output is a pipe this
/// process drains (as a container runtime does), with <see cref="BackgroundConsoleWriter"/> installed as in the service:
/// "none" (the event built and dropped), "console-template" (Serilog's console sink with the output template behind
/// Serilog.Sinks.Async, the service's redirected text log until issue 11's third round) and "batched-line"
/// (<see cref="LogLineFormatter"/> through <see cref="BatchedConsoleSink"/>, the service's redirected text log now). Two threads
/// write 200,000 events shaped like the request log's (four message properties, four enriched ones), paced.
/// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- log-sinks [--rounds N]
/// </summary>
static class LogSinkBenchmark
{
    static readonly string[] Modes = ["none", "console-template", "batched-line"];
    const int Events = 200_000, Producers = 2;

    public static int Run(string[] args)
    {
        if (args.Length == 2 && args[0] == "--child") return Child(args[1]);
        int rounds = args.Length == 2 && args[0] == "--rounds" && int.TryParse(args[1], CultureInfo.InvariantCulture, out var r) && r > 0 ? r : 3;
        Console.WriteLine($"# request-log sinks: {Events:N0} events from {Producers} threads, microseconds of process CPU per event, {rounds} rounds alternated");
        var results = Modes.ToDictionary(m => m, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
            foreach (var mode in Modes) results[mode].Add(InChild(mode));
        Console.WriteLine("| sink | CPU per event (us), each round | median | over 'none' |");
        Console.WriteLine("| --- | --- | --- | --- |");
        double baseline = Median(results["none"]);
        foreach (var mode in Modes)
        {
            double median = Median(results[mode]);
            Console.WriteLine($"| {mode} | {string.Join(" / ", results[mode].Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))} | {median:F2} | {median - baseline:F2} |");
        }
        return 0;
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static double InChild(string mode)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(LogSinkBenchmark).Assembly.Location);
        foreach (var a in new[] { "log-sinks", "--child", mode }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_gcServer"] = "1"; // as the published service runs
        using var p = Process.Start(psi)!;
        var drain = p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var result = p.StandardError.ReadToEnd();
        p.WaitForExit();
        drain.Wait();
        if (p.ExitCode != 0) throw new InvalidOperationException($"log-sinks child '{mode}' failed: {result}");
        return double.Parse(result.Trim(), CultureInfo.InvariantCulture);
    }

    static int Child(string mode)
    {
        BackgroundConsoleWriter.InstallIfRedirected();
        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        using var logger = mode switch
        {
            "none" => configuration.WriteTo.Sink(new DroppingSink()).CreateLogger(),
            "console-template" => configuration.WriteTo.Async(s => s.Console(outputTemplate: LoggingExtensions.TextTemplate, formatProvider: CultureInfo.InvariantCulture),
                bufferSize: 10_000, blockWhenFull: true).CreateLogger(),
            "batched-line" => configuration.WriteTo.Sink(new BatchedConsoleSink(new LogLineFormatter(), Console.Out)).CreateLogger(),
            _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(mode)),
        };
        var requests = logger.ForContext(Constants.SourceContextPropertyName, "Serilog.AspNetCore.RequestLoggingMiddleware");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(() =>
        {
            // Paced at about 20 events per millisecond per thread, as requests arrive, not as fast as the sink can take
            // them: the async buffer's worker then waits for each event, which is the service's regime.
            for (int i = 0; i < Events / Producers; i++)
            {
                if (i % 20 == 0) Thread.Sleep(1);
                requests.ForContext("Version", 1).ForContext("SeriesCount", 1).ForContext("Endpoint", "/models/{name}/forecast").ForContext("Model", "bench")
                    .Information(RequestLog.Template, "POST", "/models/bench/forecast", 200, 0.123);
            }
        })).ToArray();
        Task.WaitAll(producers);
        logger.Dispose(); // writes what the async buffer still holds
        Console.Out.Flush();
        Console.Error.WriteLine(((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / Events).ToString("F3", CultureInfo.InvariantCulture));
        return 0;
    }

    sealed class DroppingSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent) { }
    }
}

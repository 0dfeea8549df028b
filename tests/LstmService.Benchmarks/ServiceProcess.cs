using System.Diagnostics;

using static LstmService.Benchmarks.ServiceHost;

namespace LstmService.Benchmarks;

/// <summary>The service as the benchmark runs it: a published build in its own process on a free loopback port.</summary>
internal sealed class ServiceProcess : IDisposable
{
    readonly Process _process;

    ServiceProcess(Process process, string baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromMinutes(5) };
    }

    public string BaseAddress { get; }
    public HttpClient Client { get; }

    /// <summary>The server's CPU time so far (user and system, all threads).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The Release build, Production settings, its own data directory; stdout and stderr written to a file beside it.</summary>
    public static ServiceProcess Start(string dll, string data, bool logging)
    {
        int port = FreePort();
        // The load comes from one address: the per-address forecast rate limit (on by default) would answer 429.
        // The log goes to a file beside the data directory, as a container runtime's log driver would write it.
        var log = data.TrimEnd(Path.DirectorySeparatorChar) + ".log";
        var process = logging ? ServiceHost.Start(dll, port, data, log, ServiceBenchmark.NoRateLimit, ServiceBenchmark.NoPointLimit)
            : ServiceHost.Start(dll, port, data, log, ServiceBenchmark.NoRateLimit, ServiceBenchmark.NoPointLimit, "--Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware=Warning");
        var server = new ServiceProcess(process, $"http://127.0.0.1:{port}/");
        WaitUntilLive(server.Client, process);
        return server;
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LstmService.Tests;

/// <summary>
/// The built service (LstmService.dll, copied next to the tests) run as a child process on a free port and a given data
/// directory, for what an in-process host cannot show: a kill -9, a SIGTERM, the process's own memory. Output is kept
/// for the failure message; the process is killed on dispose if it still runs.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Client { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    /// <summary>Starts the service and waits until /health/live answers (or the process dies, or 60 s pass).</summary>
    /// <param name="workingDirectory">Where the process starts (default: the application's folder, which holds appsettings.json).</param>
    public static async Task<ServiceProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null, string? workingDirectory = null)
    {
        var service = Launch(dataDirectory, settings, workingDirectory);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (service.HasExited) throw new InvalidOperationException($"The service exited with {service.ExitCode} at start:\n{service.Output}");
            try
            {
                if ((await service.Client.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK) return service;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            if (DateTime.UtcNow > deadline)
            {
                await service.DisposeAsync();
                throw new TimeoutException($"The service did not answer within 60 s:\n{service.Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Starts a service that must refuse to start and returns its exit code and everything it wrote (60 s at most).</summary>
    public static async Task<(int ExitCode, string Output)> RefusedStartAsync(string dataDirectory, IDictionary<string, string> settings)
    {
        await using var service = Launch(dataDirectory, settings, null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await service._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service was still running after 60 s:\n{service.Output}");
        }
        service._process.WaitForExit(); // the redirected output's last lines
        return (service.ExitCode, service.Output);
    }

    private static ServiceProcess Launch(string dataDirectory, IDictionary<string, string>? settings, string? workingDirectory)
    {
        var directory = AppContext.BaseDirectory;
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [Path.Combine(directory, "LstmService.dll")])
        {
            WorkingDirectory = workingDirectory ?? directory, // the content root: appsettings.json is read from here
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Demo__TrainSampleOnFirstStart"] = "false";
        info.Environment["RateLimits__ForecastPermits"] = "0";
        info.Environment["RateLimits__TrainingSubmitPermits"] = "0";
        info.Environment["TrainingQueue__ProgressWriteIntervalMilliseconds"] = "50";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) info.Environment[key.Replace(":", "__")] = value;
        return new ServiceProcess(Process.Start(info)!, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>kill -9: no shutdown code runs, as in an out-of-memory kill or a power cut.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, what an orchestrator sends first; returns how long the process took to exit (or throws after <paramref name="timeout"/>).</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        if (Kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed.");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service did not exit within {timeout.TotalSeconds} s of SIGTERM:\n{Output}");
        }
        return watch.Elapsed;
    }

    /// <summary>Peak resident memory of the process so far (VmHWM in /proc), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException("No VmHWM in /proc/<pid>/status.");
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

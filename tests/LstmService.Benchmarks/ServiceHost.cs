using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LstmService.Benchmarks;

/// <summary>
/// Starting the Release build of src/LstmService as its own process and watching it, shared by the service and the
/// hardening benchmarks so both measure the same kind of process.
/// </summary>
static class ServiceHost
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmService.sln"))) return dir.FullName;
        throw new InvalidOperationException("LstmService.sln not found above the benchmark's directory.");
    }

    /// <summary>The service's build of the benchmark's own configuration.</summary>
    public static string ServiceDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release"; // bin/<Configuration>/net10.0/
        return Path.Combine(RepositoryRoot(), "src", "LstmService", "bin", configuration, "net10.0", "LstmService.dll");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Starts <paramref name="dll"/> on <paramref name="port"/> with Production settings, its own data directory, no demo
    /// model and <paramref name="extraArgs"/>; stdout and stderr are drained as a container runtime would.
    /// </summary>
    public static Process Start(string dll, int port, string data, params string[] extraArgs) => Start(dll, port, data, logFile: null, extraArgs);

    /// <summary>
    /// As above; with <paramref name="logFile"/>, stdout and stderr go straight to that file (as a container runtime's log
    /// driver writes them), so no process of ours spends CPU reading them while throughput is measured.
    /// </summary>
    public static Process Start(string dll, int port, string data, string? logFile, params string[] extraArgs)
    {
        var psi = new ProcessStartInfo(logFile is null ? "dotnet" : "/bin/sh") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        if (logFile is not null)
            foreach (var a in new[] { "-c", "exec dotnet \"$@\" >>\"$LSTMSERVICE_BENCH_LOG\" 2>&1", "sh" }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(dll);
        foreach (var a in new[] { "--urls", $"http://127.0.0.1:{port}", $"--Storage:DataDirectory={data}", "--Demo:TrainSampleOnFirstStart=false" })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (logFile is not null) psi.Environment["LSTMSERVICE_BENCH_LOG"] = logFile;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls /health/live for up to 60 s; fails early if <paramref name="process"/> (when given) exits.</summary>
    public static void WaitUntilLive(HttpClient client, Process? process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var r = client.GetAsync("/health/live").Result;
                if (r.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            if (process is { HasExited: true }) throw new InvalidOperationException($"The service exited with {process.ExitCode}.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service did not start within 60 s.");
            Thread.Sleep(100);
        }
    }

    /// <summary>Peak resident memory (VmHWM) of process <paramref name="pid"/>, in bytes.</summary>
    public static long PeakResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("No VmHWM in /proc/<pid>/status (Linux only).");
    }
}

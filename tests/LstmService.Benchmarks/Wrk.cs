using System.Diagnostics;
using System.Globalization;

namespace LstmService.Benchmarks;

/// <summary>Load from wrk (Debian's package): a run's throughput and latency percentiles as wrk reports them.</summary>
internal static class Wrk
{
    public static bool Available()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("wrk", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            return true;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    public static LoadResult Run(string url, string? body, int connections, double seconds)
    {
        string? script = null;
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--latency", "-t", Math.Min(connections, 2).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{Math.Max(1, (int)Math.Round(seconds))}s" })
            psi.ArgumentList.Add(a);
        if (body is not null)
        {
            script = Path.GetTempFileName();
            File.WriteAllText(script, $"wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{body}]==]\n");
            psi.ArgumentList.Add("-s");
            psi.ArgumentList.Add(script);
        }
        psi.ArgumentList.Add(url);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {p.StandardError.ReadToEnd()}");
            if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
                throw new InvalidOperationException($"wrk saw errors:\n{output}");
            double rps = double.Parse(Line(output, "Requests/sec:").Split(':')[1], CultureInfo.InvariantCulture);
            // "  123456 requests in 5.00s, 12.34MB read"
            var requests = output.Split('\n').Select(l => l.Trim()).First(l => l.Contains(" requests in ", StringComparison.Ordinal));
            return new LoadResult(rps, Percentile(output, "50%"), Percentile(output, "99%"), connections,
                long.Parse(requests[..requests.IndexOf(' ')], CultureInfo.InvariantCulture));
        }
        finally { if (script is not null) File.Delete(script); }
    }

    static string Line(string output, string start) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(start, StringComparison.Ordinal));

    static double Percentile(string output, string label)
    {
        var value = Line(output, label)[label.Length..].Trim();
        int unit = value.IndexOfAny(['u', 'm', 's']);
        double x = double.Parse(value[..unit], CultureInfo.InvariantCulture);
        return value[unit..] switch { "us" => x / 1e3, "ms" => x, "s" => x * 1e3, var u => throw new FormatException($"wrk unit '{u}'") };
    }
}

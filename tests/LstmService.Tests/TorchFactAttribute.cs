using System.Diagnostics;

namespace LstmService.Tests;

/// <summary>
/// A test that runs Python with PyTorch (Debian's python3-torch, under /usr/bin/python3 or LSTMSERVICE_PYTHON): skipped,
/// with the reason in the test report, on a machine without it.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    /// <summary>The interpreter that imports torch, or null.</summary>
    public static string? Python { get; } = Find();

    public TorchFactAttribute()
    {
        if (Python is null)
            Skip = "No Python with PyTorch: install it with 'apt-get install -y python3-torch' or set LSTMSERVICE_PYTHON.";
    }

    static string? Find()
    {
        var python = Environment.GetEnvironmentVariable("LSTMSERVICE_PYTHON") is { Length: > 0 } given ? given : "/usr/bin/python3";
        if (!File.Exists(python)) return null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.StandardError.ReadToEnd();
            return process.WaitForExit(60_000) && process.ExitCode == 0 ? python : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

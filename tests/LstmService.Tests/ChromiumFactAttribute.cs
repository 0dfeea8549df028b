namespace LstmService.Tests;

/// <summary>
/// A test that drives a real headless Chromium: skipped, with the reason in the test report, when the machine has no
/// chromium (Debian's package; <c>.ci/run</c> installs it). Playwright cannot download browsers here, so the system one is used.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Debian's chromium package; LSTMSERVICE_CHROMIUM overrides it for other layouts.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("LSTMSERVICE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
            Skip = $"No Chromium at {ExecutablePath}: install it with 'apt-get install -y chromium' (.ci/run does) or set LSTMSERVICE_CHROMIUM.";
    }
}

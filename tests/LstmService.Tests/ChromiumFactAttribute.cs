namespace LstmService.Tests;

/// <summary>
/// A test that drives a real headless Chromium: skipped, with the reason in the test report, when the machine has no
/// chromium (Debian's package; <c>.ci/run</c> installs it). Playwright cannot download browsers here, so the system one is used.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>LSTMSERVICE_CHROMIUM, else the first chromium (Debian's package) or chromium-browser on PATH; null when none.</summary>
    public static string? ExecutablePath { get; } = Find();

    public ChromiumFactAttribute()
    {
        if (ExecutablePath is null)
            Skip = "No Chromium on PATH: install it with 'apt-get install -y chromium' (.ci/run does) or set LSTMSERVICE_CHROMIUM.";
    }

    static string? Find()
    {
        if (Environment.GetEnvironmentVariable("LSTMSERVICE_CHROMIUM") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return folders.SelectMany(folder => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(folder, name))).FirstOrDefault(File.Exists);
    }
}

namespace LstmService.Tests;

/// <summary>
/// A test that runs Prometheus' promtool: skipped, with the reason in the test report, when the machine has none
/// (Debian's prometheus package ships it; <c>.ci/run</c> installs it).
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    /// <summary>The first promtool on PATH; null when none.</summary>
    public static string? ExecutablePath { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(folder => Path.Combine(folder, "promtool")).FirstOrDefault(File.Exists);

    public PromtoolFactAttribute()
    {
        if (ExecutablePath is null) Skip = "No promtool on PATH: install it with 'apt-get install -y prometheus' (.ci/run does).";
    }
}

using System.Diagnostics;

namespace LstmService.Tests;

/// <summary>
/// The shipped alert rules (deploy/prometheus) against series shaped as the service exports them, with promtool's own
/// rule tests: a single refused write fires the storage alert, and an unready replica's probe answers raise no 5xx alert.
/// </summary>
public sealed class AlertRuleTests
{
    [PromtoolFact]
    public async Task The_alert_rules_pass_their_promtool_tests()
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "deploy", "prometheus");
        var start = new ProcessStartInfo(PromtoolFactAttribute.ExecutablePath!, ["test", "rules", "lstm-service.rules.test.yml"])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool test rules failed:\n{await output}\n{await error}");
        Assert.Contains("SUCCESS", await output);
    }
}

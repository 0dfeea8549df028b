using LstmService.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>A health check's change of status is logged once, however many times it is checked in the same status.</summary>
public sealed class HealthTransitionLogTests
{
    private static HealthReport Report(HealthStatus status, string description) => new(
        new Dictionary<string, HealthReportEntry> { ["registry"] = new(status, description, TimeSpan.Zero, null, null) }, TimeSpan.Zero);

    [Fact]
    public async Task An_outage_is_logged_once_when_it_begins_and_once_when_it_ends()
    {
        var logs = new CapturingLoggerProvider(LogLevel.Information);
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var log = new HealthTransitionLog(factory.CreateLogger<HealthTransitionLog>());
        await log.PublishAsync(Report(HealthStatus.Healthy, "Registry open."), default);
        Assert.Empty(logs.Messages); // healthy from the start says nothing
        for (int probe = 0; probe < 5; probe++)
            await log.PublishAsync(Report(HealthStatus.Unhealthy, "The registry's database does not answer."), default);
        Assert.Equal(["Health check registry is Unhealthy: The registry's database does not answer."], logs.Messages);
        await log.PublishAsync(Report(HealthStatus.Degraded, "The registry's database is read-only."), default);
        await log.PublishAsync(Report(HealthStatus.Healthy, "Registry open; its database answers."), default);
        await log.PublishAsync(Report(HealthStatus.Healthy, "Registry open; its database answers."), default);
        Assert.Equal([
            "Health check registry is Unhealthy: The registry's database does not answer.",
            "Health check registry is Degraded: The registry's database is read-only.",
            "Health check registry is healthy again: Registry open; its database answers.",
        ], logs.Messages);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

/// <summary>
/// Logs each health check's change of status once: unhealthy (an error), degraded (a warning), healthy again. The checks run
/// every <see cref="Period"/> whether or not anything probes them, so an outage is logged without a probe and once however
/// many probes come: the framework's own line at every probe (an error per readiness probe through a database outage, an
/// operator QA pass) is turned down in appsettings.json.
/// </summary>
internal sealed class HealthTransitionLog(ILogger<HealthTransitionLog> logger) : IHealthCheckPublisher
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        lock (_last)
        {
            foreach (var (name, entry) in report.Entries)
            {
                // A check first seen healthy says nothing; one first seen otherwise (a start without its database) does.
                var before = _last.GetValueOrDefault(name, HealthStatus.Healthy);
                _last[name] = entry.Status;
                if (entry.Status == before) continue;
                if (entry.Status == HealthStatus.Healthy)
                    logger.LogInformation("Health check {Check} is healthy again: {Description}", name, entry.Description);
                else
                    logger.Log(entry.Status == HealthStatus.Unhealthy ? LogLevel.Error : LogLevel.Warning,
                        "Health check {Check} is {Status:l}: {Description}", name, entry.Status.ToString(), entry.Description);
            }
        }
        return Task.CompletedTask;
    }
}

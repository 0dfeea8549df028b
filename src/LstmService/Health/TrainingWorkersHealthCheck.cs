using LstmService.Infrastructure;
using LstmService.Training;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LstmService.Health;

internal sealed class TrainingWorkersHealthCheck(TrainingWorkerService workers, IOptions<TrainingQueueOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!workers.IsRunning ? HealthCheckResult.Unhealthy("Training workers not running.")
            // An API-only node is ready: it takes jobs (up to the queue's capacity) and keeps them queued.
            : options.Value.Workers == 0 ? HealthCheckResult.Healthy("No training workers (TrainingQueue:Workers=0): jobs are accepted and stay queued.")
            : HealthCheckResult.Healthy("Training workers running."));
}

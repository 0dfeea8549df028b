using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>Graceful shutdown. Section "Shutdown".</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Seconds the host may take to stop (HostOptions.ShutdownTimeout): the server drains requests, the training workers stop
    /// taking jobs, and a running job is cancelled and re-queued. Keep it below the orchestrator's grace period (Kubernetes: 30 s).
    /// </summary>
    [Range(1, 3_600)]
    public int TimeoutSeconds { get; set; } = 25;

    /// <summary>
    /// Seconds the service keeps serving after SIGTERM with readiness answering 503, before the server stops taking
    /// connections: a load balancer (a Kubernetes Service's endpoints) stops routing to it meanwhile, so requests already on
    /// their way are answered, not refused. Counted within <see cref="TimeoutSeconds"/>, so it must be below it. 0: none.
    /// </summary>
    [Range(0, 3_600)]
    public int DrainSeconds { get; set; }
}

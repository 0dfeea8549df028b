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
}

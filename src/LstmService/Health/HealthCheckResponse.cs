namespace LstmService.Health;

/// <summary>One health check's result.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Description">What the check found (the kernel path in use, why the registry is not ready, ...); null when it said nothing.</param>
public sealed record HealthCheckResponse(string Status, string? Description);

namespace LstmService.Health;

/// <summary>Health report: overall status and each check's status.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Checks">Check name → status and description.</param>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

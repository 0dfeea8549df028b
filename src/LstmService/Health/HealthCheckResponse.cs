namespace LstmService.Health;

/// <summary>One health check's result.</summary>
public sealed record HealthCheckResponse(string Status, string? Description);

namespace LstmService.Infrastructure;

/// <summary>Endpoint metadata: a header the endpoint's answer with <paramref name="StatusCode"/> may carry, for the OpenAPI document.</summary>
public sealed record ResponseHeader(int StatusCode, string Name, string Description);

namespace LstmService.Infrastructure;

/// <summary>Endpoint metadata: what the endpoint's request body is, shown above its example in Swagger UI.</summary>
public sealed record RequestBodyDescription(string Description);

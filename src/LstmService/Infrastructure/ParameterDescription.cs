namespace LstmService.Infrastructure;

/// <summary>
/// Endpoint metadata: what a route or query parameter named <paramref name="Name"/> means, and the values it takes when they
/// are a fixed few (<paramref name="Values"/>, shown as the schema's enum: Swagger UI then offers a list, not a free text box).
/// </summary>
public sealed record ParameterDescription(string Name, string Description, string[]? Values = null);

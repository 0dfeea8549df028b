namespace LstmService.Infrastructure;

/// <summary>
/// Endpoint metadata: the description of the route or query parameter <paramref name="Name"/>, for a parameter with no
/// stable example (a job's or stream's id), so Swagger UI says where to get a value.
/// </summary>
public sealed record ParameterDescription(string Name, string Description);

namespace LstmService.Infrastructure;

/// <summary>Endpoint metadata: the example of the route or query parameter <paramref name="Name"/>, which Swagger UI pre-fills.</summary>
public sealed record ParameterExample(string Name, string Example);

namespace LstmService.Infrastructure;

/// <summary>
/// Endpoint metadata: a realistic example of the endpoint's answer with status <paramref name="StatusCode"/> (an answer the
/// service really gave, not one generated from the schema's types), put on that response's JSON media types.
/// </summary>
public sealed record ResponseExample(int StatusCode, string Json);

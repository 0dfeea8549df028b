namespace LstmService.Infrastructure;

/// <summary>
/// Endpoint metadata: a runnable example of the endpoint's JSON body of type <paramref name="BodyType"/>. The OpenAPI document
/// puts it on the body's schema and on the operation's application/json body, which Swagger UI pre-fills.
/// </summary>
public sealed record RequestExample(Type BodyType, string Json);

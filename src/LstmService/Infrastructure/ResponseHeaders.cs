using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// The headers answers carry, declared on their responses: a client generator reads a header the document declares, and
/// these had lived in prose alone (a QA pass counted none in 33 operations).
/// </summary>
public static class ResponseHeaders
{
    private const string RetryAfter = "Seconds to wait before sending the request again.";

    /// <summary>
    /// Location on every 201 and 202 (each is a created or accepted result that names its resource), Retry-After on every 429
    /// and on the 503 of an operation that needs a key, and each <see cref="ResponseHeader"/> of the endpoint's metadata.
    /// </summary>
    public static void Declare(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse answer) continue;
            if (code is "201" or "202") Add(answer, "Location", code == "201" ? "The path of what was created." : "The path that reports on the accepted work (the job).");
            // Every 429 says when; a 503 where the operation reads the registry (a key's operations: the health probes' 503 is a verdict, not a wait).
            if (code == "429" || code == "503" && operation.Security is { Count: > 0 }) Add(answer, "Retry-After", RetryAfter);
            foreach (var header in metadata.OfType<ResponseHeader>())
                if (header.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) == code) Add(answer, header.Name, header.Description);
        }
    }

    private static void Add(OpenApiResponse response, string name, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers.TryAdd(name, new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
    }
}

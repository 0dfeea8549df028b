using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>The members every error answer (a ProblemDetails) carries beyond RFC 9457's, as its OpenAPI schema declares them.</summary>
public static class ProblemSchema
{
    public const string TraceIdDescription =
        "The request's W3C trace id (00-trace-span-flags): the same id as the request's line in the service's log, to quote when reporting it.";

    public const string ErrorDescription =
        "On the Open Inference Protocol's paths (/v2/...) only: the detail (or the title) again, as the protocol's own error member its clients read.";

    /// <summary>Adds traceId and error to <paramref name="schema"/> and opens it to further members, which RFC 9457 allows a problem to carry.</summary>
    public static void Open(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = TraceIdDescription };
        schema.Properties["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = ErrorDescription };
        // An empty schema, written out ("additionalProperties": {}): any member of any type, where the default had been false.
        schema.AdditionalProperties = new OpenApiSchema();
        schema.AdditionalPropertiesAllowed = true;
    }
}

using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// The rules of the route vocabulary every feature shares, written into each operation's parameter schemas: a client
/// generator or Swagger UI can then check a name or a version before sending it (the document had said only "string" and
/// "integer", the rules living in prose).
/// </summary>
public static class ParameterSchemas
{
    /// <summary><see cref="Names.Pattern"/> in ECMAScript's dialect, which JSON Schema's <c>pattern</c> uses (no <c>\z</c>; its <c>$</c> ends the text).</summary>
    public static readonly string NamePattern = Names.Pattern.Replace(@"\z", "$", StringComparison.Ordinal);

    /// <summary>Constrains the operation's <c>name</c> and <c>alias</c> parameters to a name, and a numeric <c>version</c> to 1 or more.</summary>
    public static void Constrain(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is not OpenApiSchema schema || schema.Type is not { } type) continue;
            if (parameter.Name is "name" or "alias" && type.HasFlag(JsonSchemaType.String))
            {
                schema.Pattern ??= NamePattern;
                schema.MinLength ??= 1;
                schema.MaxLength ??= 64;
            }
            else if (parameter.Name == "version" && type.HasFlag(JsonSchemaType.Integer))
                schema.Minimum ??= "1";
        }
    }
}

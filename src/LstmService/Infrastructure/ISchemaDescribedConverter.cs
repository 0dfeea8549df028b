using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>
/// A JSON converter that says what it reads and writes in the OpenAPI document: the generator knows nothing of a custom
/// converter and would leave the property's schema empty. <see cref="ApiDocumentation"/> applies it to every property
/// the converter serves, so a feature only puts the converter on its property.
/// </summary>
public interface ISchemaDescribedConverter
{
    void Describe(OpenApiSchema schema);
}

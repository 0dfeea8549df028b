using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>The OpenAPI document at /openapi/v1.json (with request examples) and Swagger UI at /swagger.</summary>
public static partial class ApiDocumentation
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "LstmService",
                    Version = "v1",
                    Description = "Train LSTM or GRU forecasters (GRU by default) on your time series and ask them for forecasts. Queue a training job " +
                        "(POST /models/{name}/training-jobs), follow it (GET /training-jobs/{id} or its /events stream), then forecast " +
                        "(POST /models/{name}/forecast). Versions, aliases and weights live in the model registry.\n\n" +
                        "**Demo:** on its first start (an empty data directory) the service trains the model `sunspots` on the bundled " +
                        "yearly sunspot numbers (1700-2008, horizon 10). Once GET /training-jobs shows it succeeded (within seconds), " +
                        "POST /models/sunspots/forecast with the pre-filled example forecasts 2009-2018.",
                };
                return Task.CompletedTask;
            });
            // Examples make Swagger UI's "Try it out" bodies runnable as they are: on the schema (OpenAPI 3.1 "examples")
            // and on each request body's media type, which is what Swagger UI pre-fills. Features declare them on their
            // endpoints (WithRequestExample), so this document names no feature.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (SchemaExamples(context.ApplicationServices).TryGetValue(context.JsonTypeInfo.Type, out var example))
                    schema.Examples = [JsonNode.Parse(example)!];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo?.CustomConverter is ISchemaDescribedConverter converter) converter.Describe(schema);
                // The kernel library's own converter (it cannot implement the service's interface): numbers, null for missing.
                else if (context.JsonPropertyInfo?.CustomConverter is LstmService.Forecasting.Streaming.MissingAsNullFloatListConverter)
                {
                    schema.Type = JsonSchemaType.Array;
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null };
                    schema.AnyOf = null;
                }
                // Converters registered for a type (every IReadOnlyList<double?>) leave the generated schema empty, and a
                // dictionary's values (covariates) without a schema.
                else if (context.JsonTypeInfo.Converter is ISchemaDescribedConverter typeConverter) typeConverter.Describe(schema);
                else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Dictionary && context.JsonTypeInfo.ElementType is { } element
                    && context.JsonTypeInfo.Options.GetTypeInfo(element).Converter is ISchemaDescribedConverter valueConverter)
                {
                    var values = new OpenApiSchema();
                    valueConverter.Describe(values);
                    schema.AdditionalProperties = values;
                }
                return Task.CompletedTask;
            });
            // An enum's shared schema lists its names only: the generator adds null when it first meets the enum as a nullable
            // property, and the property's own oneOf [null, $ref] then matched a null twice, which oneOf refuses.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type).IsEnum && schema.Enum is { Count: > 0 } names)
                    schema.Enum = names.Where(n => n is not null && n.GetValueKind() != System.Text.Json.JsonValueKind.Null).ToList();
                return Task.CompletedTask;
            });
            // A type the service does not declare has no XML comment the generator reads: features describe its properties.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is not { } property) return Task.CompletedTask;
                var text = context.ApplicationServices.GetServices<PropertyDescriptions>().Where(d => d.Type.IsAssignableFrom(property.DeclaringType))
                    .Select(d => d.Properties.GetValueOrDefault(property.Name)).FirstOrDefault(t => t is not null);
                if (text is null) return Task.CompletedTask;
                // A property whose type has a schema of its own is written as a $ref, which carries the description (as the XML comments' do).
                if (schema.Metadata?.TryGetValue("x-schema-id", out var id) == true && id is string { Length: > 0 }) schema.Metadata.TryAdd("x-ref-description", text);
                else if (string.IsNullOrEmpty(schema.Description)) schema.Description = text;
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var example = metadata.OfType<RequestExample>().LastOrDefault();
                if (example is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
                    media.Example = JsonNode.Parse(example.Json);
                if (operation.RequestBody is OpenApiRequestBody body && metadata.OfType<RequestBodyDescription>().LastOrDefault() is { } description)
                    body.Description = description.Description;
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                AddExamples(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, context, _) =>
            {
                DescribeSchemas(document, context.ApplicationServices.GetServices<PropertyDescriptions>());
                AddSecuritySchemes(document);
                MoveNullableDescriptions(document);
                DropDoubleNulls(document);
                JoinDescriptionLines(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                AddSecurityRequirement(operation, context.Description.ActionDescriptor.EndpointMetadata, context.Document);
                AddCommonProblems(operation, context.Description.ActionDescriptor.EndpointMetadata, context.Document);
                DescribeSharedParameters(operation);
                ParameterSchemas.Constrain(operation);
                ResponseHeaders.Declare(operation, context.Description.ActionDescriptor.EndpointMetadata);
                return Task.CompletedTask;
            });
            // Every error answer carries traceId, and those on the Open Inference Protocol's paths its "error" member: the
            // generator wrote ProblemDetails without them and closed to other members (the requests' strict JSON reading
            // reaches the schemas), so a client validating an error answer refused every one (a QA pass).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is null && typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
                    ProblemSchema.Open(schema);
                return Task.CompletedTask;
            });
            // A property left out when null (a v2 answer's id) is not required: a client validating the answer would refuse it.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (schema.Required is not { Count: > 0 } required || context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object) return Task.CompletedTask;
                foreach (var property in context.JsonTypeInfo.Properties)
                    if (property.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                        .Cast<System.Text.Json.Serialization.JsonIgnoreAttribute>().Any(a => a.Condition is System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull
                            or System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault) == true)
                        required.Remove(property.Name);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        // The document and Swagger UI need no key, so a client can learn how to authenticate.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().AllowAnyQueryParameters(); // a cache-busting ?v= asks nothing of it
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "LstmService v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "LstmService";
            // No EnablePersistAuthorization: it keeps the key entered under Authorize in localStorage, where it outlives the
            // browser session and any script on the origin can read it. The dashboard keeps its key in sessionStorage. A key
            // an earlier version left there ("authorized") is removed when the page loads.
            o.HeadContent = "<script>try { localStorage.removeItem(\"authorized\"); } catch (e) { }</script>";
        });
        return app;
    }

    /// <summary>
    /// The route vocabulary every feature shares: a parameter of one of these names that its endpoint does not describe had
    /// no description in the document (Swagger UI showed an empty line under name, version and alias).
    /// </summary>
    private static readonly Dictionary<string, string> SharedParameters = new(StringComparer.Ordinal)
    {
        ["name"] = $"The model's name. {Names.Rule}",
        ["version"] = "A version number of the model (1, 2, ...). Without it (and without alias), the newest available version.",
        ["alias"] = "An alias of one of the model's versions (production, staging, ...), in place of a version number.",
    };

    /// <summary>Describes each parameter its endpoint left undescribed (<see cref="AddExamples"/> ran first) from <see cref="SharedParameters"/>.</summary>
    private static void DescribeSharedParameters(OpenApiOperation operation)
    {
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (string.IsNullOrEmpty(p.Description) && p.Name is { } name)
                p.Description = name == "version" && p.In == ParameterLocation.Path
                    ? p.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Integer) ? "A version number of the model (1, 2, ...)."
                        : "A version number of the model (1, 2, ...) or one of its aliases (production, staging, ...)." // the Open Inference Protocol's
                    : SharedParameters.GetValueOrDefault(name);
    }

    /// <summary>Declares a runnable example of the endpoint's JSON body (see <see cref="RequestExample"/>).</summary>
    public static RouteHandlerBuilder WithRequestExample<TBody>(this RouteHandlerBuilder builder, string json) =>
        builder.WithMetadata(new RequestExample(typeof(TBody), json));

    /// <summary>Declares what the endpoint's request body is (see <see cref="RequestBodyDescription"/>).</summary>
    public static RouteHandlerBuilder WithRequestBodyDescription(this RouteHandlerBuilder builder, string description) =>
        builder.WithMetadata(new RequestBodyDescription(description));

    /// <summary>Describes the JSON properties of <typeparamref name="T"/>, a type the service does not declare (see <see cref="PropertyDescriptions"/>).</summary>
    public static IServiceCollection AddPropertyDescriptions<T>(this IServiceCollection services, IReadOnlyDictionary<string, string> properties) =>
        services.AddSingleton(new PropertyDescriptions(typeof(T), properties));

    /// <summary>Describes <typeparamref name="T"/> itself, a type the service does not declare, on its schema (see <see cref="PropertyDescriptions"/>).</summary>
    public static IServiceCollection AddSchemaDescription<T>(this IServiceCollection services, string description) =>
        services.AddSingleton(new PropertyDescriptions(typeof(T), new Dictionary<string, string>(), description));

    /// <summary>Declares a realistic example of the endpoint's answer with <paramref name="statusCode"/> (see <see cref="ResponseExample"/>).</summary>
    public static RouteHandlerBuilder WithResponseExample(this RouteHandlerBuilder builder, int statusCode, string json) =>
        builder.WithMetadata(new ResponseExample(statusCode, json));

    /// <summary>Declares a header the endpoint's answer with <paramref name="statusCode"/> may carry (see <see cref="ResponseHeader"/>).</summary>
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description) =>
        builder.WithMetadata(new ResponseHeader(statusCode, name, description));

    /// <summary>Declares the example of a route or query parameter, on one endpoint or a whole group (see <see cref="ParameterExample"/>).</summary>
    public static TBuilder WithParameterExample<TBuilder>(this TBuilder builder, string name, string example) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterExample(name, example));

    /// <summary>
    /// Declares the description of a route or query parameter, on one endpoint or a whole group, and the values it takes when
    /// they are a fixed few (see <see cref="ParameterDescription"/>).
    /// </summary>
    public static TBuilder WithParameterDescription<TBuilder>(this TBuilder builder, string name, string description, params string[] values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterDescription(name, description, values.Length > 0 ? values : null));

    /// <summary>
    /// The endpoint's response and parameter examples and parameter descriptions. Without them Swagger UI shows an answer generated from the types
    /// ("string", 0, true), which says nothing of what the service answers.
    /// </summary>
    private static void AddExamples(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var example in metadata.OfType<ResponseExample>())
        {
            var code = example.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?.TryGetValue(code, out var response) != true || response!.Content is not { } content) continue;
            foreach (var (type, media) in content)
                if (type.EndsWith("json", StringComparison.Ordinal)) media.Example = JsonNode.Parse(example.Json);
        }
        foreach (var example in metadata.OfType<ParameterExample>())
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                if (parameter.Name == example.Name)
                    // An integer parameter's example is a JSON number, as its schema says; v2's {version} (a number or an alias) stays text.
                    parameter.Example = parameter.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Integer)
                        && long.TryParse(example.Example, System.Globalization.CultureInfo.InvariantCulture, out var number)
                        ? JsonValue.Create(number) : JsonValue.Create(example.Example);
        foreach (var description in metadata.OfType<ParameterDescription>())
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.Name != description.Name) continue;
                parameter.Description = description.Description;
                if (description.Values is { } values && parameter.Schema is OpenApiSchema schema) schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)];
            }
    }

    /// <summary>
    /// A nullable property whose type has a schema of its own is written oneOf [null, $ref] with its description on the $ref
    /// inside, as if it described one alternative: it moves to the property, beside its name (27 had none there).
    /// </summary>
    private static void MoveNullableDescriptions(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
            foreach (var property in schema.Properties?.Values ?? [])
                if (property is OpenApiSchema { OneOf: { } alternatives } wrapper && string.IsNullOrEmpty(wrapper.Description)
                    && alternatives.OfType<OpenApiSchemaReference>().FirstOrDefault(r => !string.IsNullOrEmpty(r.Reference.Description)) is { } reference)
                {
                    wrapper.Description = reference.Reference.Description;
                    reference.Reference.Description = null;
                }
    }

    /// <summary>
    /// The types the service does not declare, described on their own schemas (twelve had no description: the stream state's
    /// parts, ProblemDetails, the progress event). Found by the generator's name for them (SseItem&lt;T&gt;: SseItemOfT): it
    /// first meets most of them as a property, whose transformer context names the property, not the type.
    /// </summary>
    private static void DescribeSchemas(OpenApiDocument document, IEnumerable<PropertyDescriptions> descriptions)
    {
        static string SchemaName(Type type) => !type.IsGenericType ? type.Name
            : type.Name[..type.Name.IndexOf('`')] + "Of" + string.Concat(type.GetGenericArguments().Select(SchemaName));
        foreach (var described in descriptions.Where(d => d.Description is not null))
            if (document.Components?.Schemas?.TryGetValue(SchemaName(described.Type), out var schema) == true && schema is OpenApiSchema own
                && string.IsNullOrEmpty(own.Description))
                own.Description = described.Description;
    }

    /// <summary>
    /// A nullable property whose shared schema admits null itself (an array of numbers or nulls, which its converter reads
    /// as null too) was written oneOf [null, $ref]: a null matched both, which oneOf refuses, so a strict validator refused
    /// a valid null (a QA pass). The null alternative goes.
    /// </summary>
    private static void DropDoubleNulls(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
            foreach (var property in schema.Properties?.Values ?? [])
                if (property is OpenApiSchema { OneOf: { Count: 2 } alternatives }
                    && alternatives.OfType<OpenApiSchemaReference>().FirstOrDefault() is { Target.Type: { } type } reference && type.HasFlag(JsonSchemaType.Null)
                    && alternatives.Any(a => a is OpenApiSchema { Type: JsonSchemaType.Null }))
                    alternatives.Remove(alternatives.First(a => a is OpenApiSchema { Type: JsonSchemaType.Null }));
    }

    /// <summary>
    /// A doc comment's text that wraps keeps its line break and the next line's indentation: Swagger UI showed them as they
    /// were (13 property descriptions), so each is joined with one space.
    /// </summary>
    private static void JoinDescriptionLines(OpenApiDocument document)
    {
        static string? Join(string? text) => text is null || !text.Contains('\n') ? text : WrappedLine().Replace(text, " ");
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            if (schema is OpenApiSchema own) own.Description = Join(own.Description);
            foreach (var property in schema.Properties?.Values ?? [])
                if (property is OpenApiSchema inline) inline.Description = Join(inline.Description);
                else if (property is OpenApiSchemaReference reference) reference.Reference.Description = Join(reference.Reference.Description);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]*\r?\n[ \t]*")]
    private static partial System.Text.RegularExpressions.Regex WrappedLine();

    private const string ApiKeyScheme = "ApiKey", BearerScheme = "Bearer";

    /// <summary>The two ways to send a key; their presence gives Swagger UI its Authorize button.</summary>
    private static void AddSecuritySchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key (Auth:ApiKeys) with the read or the write role. Not needed when the service runs without keys.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as `Authorization: Bearer KEY`.",
        };
    }

    /// <summary>
    /// Operations that need a key list both schemes as alternatives, with the role as the requirement's value (OpenAPI 3.1
    /// allows role names for non-OAuth schemes); health and documentation endpoints (AllowAnonymous) list none.
    /// </summary>
    private static void AddSecurityRequirement(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return;
        var role = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiRoles.Write) ? ApiRoles.Write : ApiRoles.Read;
        operation.Security ??= [];
        foreach (var scheme in (string[])[ApiKeyScheme, BearerScheme])
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [role] });
    }

    /// <summary>
    /// The answers the pipeline gives before any handler, so every operation may give them: 401 and 403 where a key is
    /// needed (the role's), 413 and 415 where a body is read. Each is a ProblemDetails.
    /// </summary>
    private static void AddCommonProblems(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        var problems = new List<(string Status, string Description)>();
        if (operation.Security is { Count: > 0 } security)
        {
            // Every operation that needs a key reads the registry's database.
            problems.Add(("503", "The database could not be reached just now (Retry-After says when to try again), or a limit of concurrent work is reached."));
            problems.Add(("401", "No API key, or one the service does not know (with API keys configured)."));
            if (security.Any(r => r.Values.Any(roles => roles.Contains(ApiRoles.Write))))
            {
                problems.Add(("403", "A read key on an endpoint that needs a write key."));
                problems.Add(("507", "The service's storage is full: nothing of the request was stored."));
            }
        }
        // A route value of the wrong form (/training-jobs/42, /models/m/versions/latest) is a 400 naming it, as is a query
        // parameter the operation does not read (QueryParameterCheck).
        var badRoute = operation.Parameters?.Any(p => p.In == ParameterLocation.Path && p.Schema is { } schema
            && (schema.Format == "uuid" || schema.Type?.HasFlag(JsonSchemaType.Integer) == true)) == true;
        var badQuery = QueryParameterCheck.Checks(metadata);
        if (badRoute || badQuery)
            problems.Add(("400", string.Join(" ", new[]
            {
                badRoute ? "A route value of the wrong form: a version that is no whole number, a job id that is no GUID." : null,
                badQuery ? "A query parameter the operation does not read (named in errors)." : null,
            }.Where(d => d is not null))));
        if (operation.RequestBody is not null)
        {
            problems.Add(("413", "The body is larger than RequestLimits:MaxBodyBytes."));
            problems.Add(("415", "The body's Content-Type is none this endpoint takes (or missing)."));
        }
        operation.Responses ??= [];
        foreach (var (status, description) in problems)
        {
            if (operation.Responses.ContainsKey(status)) continue;
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                },
            };
        }
    }

    /// <summary>Body type → example, from every endpoint's <see cref="RequestExample"/>.</summary>
    private static Dictionary<Type, string> SchemaExamples(IServiceProvider services)
    {
        var examples = new Dictionary<Type, string>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints)
            foreach (var example in endpoint.Metadata.GetOrderedMetadata<RequestExample>())
                examples[example.BodyType] = example.Json;
        return examples;
    }
}

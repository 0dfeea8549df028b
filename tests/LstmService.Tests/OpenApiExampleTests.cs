using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// Every example in the OpenAPI document (request bodies and responses) has the shape of its schema: each required
/// property present, no property the schema does not have. Examples are written by hand, and the version answer's had
/// kept the shape of an earlier release (Swagger UI showed fields the service no longer sent without the ones it did).
/// </summary>
public sealed class OpenApiExampleTests : ServiceFixture
{
    [Fact]
    public async Task Every_example_has_the_shape_of_its_schema()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var problems = new List<string>();
        int examples = 0;
        foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.ValueKind != JsonValueKind.Object) continue;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body))
                    examples += CheckContent(root, body, $"{where} request", problems);
                if (operation.Value.TryGetProperty("responses", out var responses))
                    foreach (var response in responses.EnumerateObject())
                        examples += CheckContent(root, response.Value, $"{where} {response.Name}", problems);
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.InRange(examples, 10, 1000); // the examples were found
    }

    /// <summary>Checks the JSON example of each media type of a request body or response; the number checked.</summary>
    private static int CheckContent(JsonElement root, JsonElement holder, string where, List<string> problems)
    {
        if (!holder.TryGetProperty("content", out var content)) return 0;
        int count = 0;
        foreach (var media in content.EnumerateObject())
        {
            if (!media.Name.Contains("json", StringComparison.Ordinal) || !media.Value.TryGetProperty("example", out var example)
                || !media.Value.TryGetProperty("schema", out var schema)) continue;
            count++;
            var found = new List<string>();
            Check(root, example, schema, $"{where} ({media.Name}) $", found);
            // A problem may carry members of its own (RFC 9457, 3.2: the service's traceId) beside those the schema names.
            problems.AddRange(media.Name == "application/problem+json" ? found.Where(f => !f.EndsWith("not in the schema", StringComparison.Ordinal)) : found);
        }
        return count;
    }

    private static void Check(JsonElement root, JsonElement value, JsonElement schema, string path, List<string> problems)
    {
        schema = Resolve(root, schema);
        if (value.ValueKind == JsonValueKind.Null) return; // nullability is the schema's own business; shapes are checked here
        foreach (var combinator in new[] { "oneOf", "anyOf" })
            if (schema.TryGetProperty(combinator, out var alternatives))
            {
                // Fits if one alternative fits: the first one's complaints are reported otherwise.
                // The alternative that is null alone (how a nullable reference is written) does not describe a value's shape.
                var attempts = alternatives.EnumerateArray().Where(a => !IsNullOnly(Resolve(root, a)))
                    .Select(a => { var found = new List<string>(); Check(root, value, a, path, found); return found; }).ToList();
                if (attempts.Count > 0 && attempts.All(a => a.Count > 0)) problems.AddRange(attempts.OrderBy(a => a.Count).First());
                return;
            }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
                    if (!value.TryGetProperty(name, out _)) problems.Add($"{path}.{name}: required by the schema, missing from the example");
            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var inner))
                    Check(root, property.Value, inner, $"{path}.{property.Name}", problems);
                else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
                    Check(root, property.Value, additional, $"{path}.{property.Name}", problems);
                else if (properties.ValueKind == JsonValueKind.Object)
                    problems.Add($"{path}.{property.Name}: in the example, not in the schema");
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var item in value.EnumerateArray()) Check(root, item, items, $"{path}[{i++}]", problems);
        }
    }

    private static bool IsNullOnly(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            schema = target;
        }
        return schema;
    }
}

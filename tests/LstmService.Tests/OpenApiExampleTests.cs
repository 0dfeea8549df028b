using System.Text.Json;
using System.Text.Json.Nodes;

namespace LstmService.Tests;

/// <summary>
/// Every example in the OpenAPI document (request bodies and responses) has the shape of its schema: each required
/// property present, no property the schema does not have, each value of the schema's type (and one of its values, for an
/// enum). Examples are written by hand, and the version answer's had kept the shape of an earlier release (Swagger UI showed
/// fields the service no longer sent without the ones it did). Every JSON success answer has one, and the check would catch
/// a wrong one; <see cref="OpenApiAnswerTests"/> compares them with the service's own answers.
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

    [Fact]
    public async Task Every_json_success_answer_has_an_example()
    {
        // 19 had none (streams, monitoring, the v2 and health probes, a registered version, an alias, a cancel, the torch
        // export): Swagger UI showed an answer made up from the types ("string", 0, true). Only JSON bodies are asked for, so
        // a 204, the progress events (text/event-stream) and the binary weights need none; HEAD is not in the document.
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var missing = JsonSuccessAnswers(document.RootElement).Where(a => a.Example is null).Select(a => a.Name).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} JSON success answers without an example:\n{string.Join("\n", missing)}");
    }

    [Fact]
    public async Task A_wrong_success_example_fails_the_check()
    {
        // Each success example with a property renamed, or its first value of another type, must be flagged: an example whose
        // schema describes nothing (the torch export, an object of any keys) passes whatever it holds, and OpenApiAnswerTests
        // compares it with a real export instead.
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var unnoticed = new List<string>();
        foreach (var (name, example, schema) in JsonSuccessAnswers(root))
        {
            if (example is not { } json || schema.ValueKind == JsonValueKind.Undefined || name == "GetModelVersionWeights 200 (application/json)") continue;
            foreach (var (mutation, wrong) in Mutations(json))
            {
                var found = new List<string>();
                Check(root, wrong, schema, "$", found);
                if (found.Count == 0) unnoticed.Add($"{name}: {mutation}");
            }
        }
        Assert.True(unnoticed.Count == 0, $"Wrong examples the check let through:\n{string.Join("\n", unnoticed)}");
    }

    [Fact]
    public async Task Error_answers_have_the_shape_their_operations_declare()
    {
        // ProblemDetails had been declared closed to other members and without traceId, which every error answer carries (and
        // the /v2 paths' "error"): a client validating answers against the document refused every error (a QA pass).
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var problems = new List<string>();
        foreach (var (path, method, status, response) in new (string, string, string, Func<Task<HttpResponseMessage>>)[]
        {
            ("/models/{name}/training-jobs", "post", "400", () => Client.PostAsync("/models/m/training-jobs", Body("""{"horizon":0,"series":[]}"""))),
            ("/models/{name}/forecast", "post", "404", () => Client.PostAsync("/models/no-such-model/forecast", Body("""{"series":[{"history":[1,2,3]}]}"""))),
            ("/models/{name}", "get", "404", () => Client.GetAsync("/models/no-such-model")),
            ("/v2/models/{name}/infer", "post", "415", () => Client.PostAsync("/v2/models/sunspots/infer", new StringContent("x", System.Text.Encoding.UTF8, "text/plain"))),
            ("/training-jobs/{id}", "get", "404", () => Client.GetAsync($"/training-jobs/{Guid.NewGuid()}")),
        })
        {
            var answer = await response();
            Assert.Equal(status, ((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.True(body.RootElement.TryGetProperty("traceId", out _), $"{method} {path} {status}: no traceId");
            var schema = root.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status)
                .GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Check(root, body.RootElement, schema, $"{method} {path} {status} $", problems);
            var problem = root.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
            Assert.NotEqual(JsonValueKind.False, problem.GetProperty("additionalProperties").ValueKind);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Each 2xx answer's JSON media type: "OperationId status (media type)", its example (null without one) and its schema.</summary>
    internal static IEnumerable<(string Name, JsonElement? Example, JsonElement Schema)> JsonSuccessAnswers(JsonElement root)
    {
        foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                    if (response.Value.TryGetProperty("content", out var content))
                        foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
                            yield return ($"{operation.Value.GetProperty("operationId").GetString()} {response.Name} ({media.Name})",
                                media.Value.TryGetProperty("example", out var example) ? example : null,
                                media.Value.TryGetProperty("schema", out var schema) ? schema : default);
    }

    /// <summary>
    /// Wrong copies of an example: the top object's (or its first item's) first property renamed, and its first property of a
    /// number, string or boolean given a value of another type.
    /// </summary>
    private static IEnumerable<(string Mutation, JsonElement Wrong)> Mutations(JsonElement example)
    {
        static JsonObject? Target(JsonNode node) => node as JsonObject ?? (node as JsonArray)?.FirstOrDefault() as JsonObject;
        var renamed = JsonNode.Parse(example.GetRawText())!;
        if (Target(renamed) is { Count: > 0 } a)
        {
            var (name, value) = a.First();
            a.Remove(name);
            a[name + "Typo"] = value;
            yield return ($"{name} renamed", JsonDocument.Parse(renamed.ToJsonString()).RootElement.Clone());
        }
        var retyped = JsonNode.Parse(example.GetRawText())!;
        if (Target(retyped) is { } b && b.FirstOrDefault(p => p.Value is JsonValue) is { Key: { } key, Value: JsonValue scalar })
        {
            b[key] = scalar.GetValueKind() == JsonValueKind.String ? JsonValue.Create(12345) : JsonValue.Create("12345");
            yield return ($"{key} of another type", JsonDocument.Parse(retyped.ToJsonString()).RootElement.Clone());
        }
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
            problems.AddRange(found);
        }
        return count;
    }

    internal static void Check(JsonElement root, JsonElement value, JsonElement schema, string path, List<string> problems)
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
        if (schema.TryGetProperty("type", out var type) && !Fits(value, type))
        {
            problems.Add($"{path}: {(value.ValueKind is JsonValueKind.True or JsonValueKind.False ? "Boolean" : value.ValueKind)} in the example, {type.GetRawText()} in the schema");
            return;
        }
        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("enum", out var values)
            && !values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == value.GetString()))
            problems.Add($"{path}: \"{value.GetString()}\" in the example, none of the schema's values ({string.Join(", ", values.EnumerateArray())})");
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

    /// <summary>Whether the value is of the schema's type (a name, or several as OpenAPI 3.1 writes a nullable one).</summary>
    private static bool Fits(JsonElement value, JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => Fits(value, t))
        : type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        };

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

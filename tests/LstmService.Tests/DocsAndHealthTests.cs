using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;

namespace LstmService.Tests;

public sealed class DocsAndHealthTests : ServiceFixture
{
    [Fact]
    public async Task Every_parameter_is_described_and_the_weights_format_lists_its_values()
    {
        // name, version and alias had empty descriptions everywhere, and format was a free text box.
        var paths = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var undescribed = new List<string>();
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _)))
                foreach (var parameter in operation.Value.GetProperty("parameters").EnumerateArray())
                    if (!parameter.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                        undescribed.Add($"{operation.Name} {path.Name}: {parameter.GetProperty("name").GetString()}");
        Assert.Empty(undescribed);
        var format = paths.GetProperty("/models/{name}/versions/{version}/weights").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "format");
        Assert.Equal(["binary", "torch"], format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Every_name_alias_version_and_limit_parameter_carries_its_rule_in_its_schema()
    {
        // The schemas had said only "string" and "integer": Swagger UI sent ?version=0, a name with a space or limit=5000 to be refused.
        var paths = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var checkedNames = 0;
        foreach (var path in paths.EnumerateObject().Where(p => !p.Name.StartsWith("/v2/", StringComparison.Ordinal)))
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _)))
                foreach (var parameter in operation.Value.GetProperty("parameters").EnumerateArray())
                {
                    var schema = parameter.GetProperty("schema");
                    var where = $"{operation.Name} {path.Name} {parameter.GetProperty("name").GetString()}";
                    switch (parameter.GetProperty("name").GetString())
                    {
                        case "name" or "alias":
                            Assert.True(schema.TryGetProperty("pattern", out var pattern), where);
                            var rule = new System.Text.RegularExpressions.Regex(pattern.GetString()!);
                            Assert.True(rule.IsMatch("sunspots") && rule.IsMatch("sales-eu_2.v1"), where);
                            Assert.False(rule.IsMatch("a b") || rule.IsMatch("-x") || rule.IsMatch(new string('a', 65)) || rule.IsMatch(""), where);
                            Assert.Equal(64, schema.GetProperty("maxLength").GetInt32());
                            checkedNames++;
                            break;
                        case "version":
                            Assert.Equal(1, schema.GetProperty("minimum").GetInt32());
                            break;
                    }
                }
        Assert.True(checkedNames >= 18, $"{checkedNames} name and alias parameters");
        var list = paths.GetProperty("/training-jobs").GetProperty("get").GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.Equal((1, 1000), (list["limit"].GetProperty("minimum").GetInt32(), list["limit"].GetProperty("maximum").GetInt32()));
        Assert.Equal(["queued", "running", "succeeded", "failed", "cancelled"], list["status"].GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task No_property_admits_null_through_two_alternatives_of_a_one_of()
    {
        // oneOf [null, an array that admits null] refused every null: a strict validator found both alternatives matching.
        var schemas = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");
        bool AdmitsNull(JsonElement schema)
        {
            if (schema.TryGetProperty("$ref", out var reference)) return AdmitsNull(schemas.GetProperty(reference.GetString()!.Split('/')[^1]));
            return schema.TryGetProperty("type", out var type)
                && (type.ValueKind == JsonValueKind.String ? type.GetString() == "null" : type.EnumerateArray().Any(t => t.GetString() == "null"));
        }
        var doubled = new List<string>();
        foreach (var schema in schemas.EnumerateObject())
            if (schema.Value.TryGetProperty("properties", out var properties))
                foreach (var property in properties.EnumerateObject())
                    if (property.Value.TryGetProperty("oneOf", out var alternatives) && alternatives.EnumerateArray().Count(AdmitsNull) > 1)
                        doubled.Add($"{schema.Name}.{property.Name}");
        Assert.Empty(doubled);
    }

    [Fact]
    public async Task Every_object_schema_says_what_it_is()
    {
        // Twelve had no description of their own: the stream state's parts, ProblemDetails, the progress event.
        var schemas = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");
        var undescribed = schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("properties", out _)
            && (!s.Value.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))).Select(s => s.Name).ToList();
        Assert.Empty(undescribed);
    }

    [Fact]
    public async Task The_event_stream_is_described_as_its_lines_on_the_wire()
    {
        // It had been .NET's SseItem (eventType, eventId, a TimeSpan reconnectionInterval), which no client reads.
        var media = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths")
            .GetProperty("/training-jobs/{id}/events").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("text/event-stream");
        Assert.Equal("string", media.GetProperty("schema").GetProperty("type").GetString());
        var example = media.GetProperty("example").GetString()!;
        Assert.StartsWith("id: 1-running-3-", example);
        Assert.Contains("\nevent: progress\ndata: {", example);
    }

    [Fact]
    public async Task The_headers_answers_carry_are_declared_on_their_responses()
    {
        // Location, Link, ETag and Retry-After had lived in prose alone: a client generator saw no header anywhere.
        var paths = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        string[] Headers(string path, string method, string status) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).TryGetProperty("headers", out var headers)
                ? [.. headers.EnumerateObject().Select(h => h.Name)] : [];
        Assert.Contains("Location", Headers("/models/{name}/training-jobs", "post", "202"));
        Assert.Contains("Retry-After", Headers("/models/{name}/training-jobs", "post", "429"));
        Assert.Contains("Location", Headers("/models/{name}/streams", "post", "201"));
        Assert.Contains("Location", Headers("/models/{name}/versions", "post", "201"));
        Assert.Contains("Retry-After", Headers("/models/{name}/forecast", "post", "503"));
        Assert.Contains("Link", Headers("/training-jobs", "get", "200"));
        Assert.Contains("ETag", Headers("/models/{name}/versions/{version}/weights", "get", "200"));
        Assert.Empty(Headers("/models/{name}/forecast", "post", "200"));

        // What is declared is what the answers carry.
        var queued = await Client.PostJsonAsync("/models/headers/training-jobs", Api.TinyTraining(epochs: 1));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.StartsWith("/training-jobs/", queued.Headers.Location!.OriginalString);
        await Client.PostJsonAsync("/models/headers/training-jobs", Api.TinyTraining(epochs: 1));
        var page = await Client.GetAsync("/training-jobs?model=headers&limit=1");
        Assert.Contains("rel=\"next\"", page.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Every_schema_property_and_request_body_is_described()
    {
        // 259 properties (the streams' and monitoring's answers, the stream state, ProblemDetails; 27 of them described only
        // inside their oneOf) and every request body had no description: Swagger UI showed a bare name and type.
        var root = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var undescribed = new List<string>();
        foreach (var schema in root.GetProperty("components").GetProperty("schemas").EnumerateObject())
            UndescribedProperties(schema.Value, schema.Name, undescribed);
        foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
            {
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    if (!IsDescribed(body)) undescribed.Add($"{where}: requestBody");
                    UndescribedInlineProperties(body, $"{where} request", undescribed);
                }
                if (operation.Value.TryGetProperty("responses", out var responses))
                    foreach (var response in responses.EnumerateObject())
                        UndescribedInlineProperties(response.Value, $"{where} {response.Name}", undescribed);
            }
        Assert.True(undescribed.Count == 0, $"{undescribed.Count} without a description:\n{string.Join("\n", undescribed)}");
    }

    static bool IsDescribed(JsonElement element) =>
        element.TryGetProperty("description", out var d) && !string.IsNullOrWhiteSpace(d.GetString());

    /// <summary>Adds schema.property for each property of an object schema without a description, and of the inline object schemas in it.</summary>
    static void UndescribedProperties(JsonElement schema, string name, List<string> undescribed)
    {
        if (schema.TryGetProperty("properties", out var properties))
            foreach (var property in properties.EnumerateObject())
            {
                if (!IsDescribed(property.Value)) undescribed.Add($"{name}.{property.Name}");
                // A doc comment's wrapped line had kept its break and indentation (Swagger UI showed them).
                else if (property.Value.TryGetProperty("description", out var text) && text.GetString()!.Contains('\n')) undescribed.Add($"{name}.{property.Name} (a line break)");
                UndescribedProperties(property.Value, $"{name}.{property.Name}", undescribed);
            }
        foreach (var inner in (string[])["items", "additionalProperties"])
            if (schema.TryGetProperty(inner, out var nested) && nested.ValueKind == JsonValueKind.Object) UndescribedProperties(nested, $"{name}[]", undescribed);
        foreach (var combinator in (string[])["oneOf", "anyOf", "allOf"])
            if (schema.TryGetProperty(combinator, out var alternatives))
                foreach (var alternative in alternatives.EnumerateArray()) UndescribedProperties(alternative, name, undescribed);
    }

    /// <summary>The inline schemas of a request body's or response's media types (a $ref's are checked under components).</summary>
    static void UndescribedInlineProperties(JsonElement holder, string where, List<string> undescribed)
    {
        if (!holder.TryGetProperty("content", out var content)) return;
        foreach (var media in content.EnumerateObject())
            if (media.Value.TryGetProperty("schema", out var schema)) UndescribedProperties(schema, $"{where} ({media.Name})", undescribed);
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint_with_summaries()
    {
        var response = await Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");

        (string Path, string Method)[] expected =
        [
            ("/models/{name}/training-jobs", "post"),
            ("/training-jobs", "get"),
            ("/training-jobs/{id}", "get"),
            ("/training-jobs/{id}/cancel", "post"),
            ("/training-jobs/{id}/events", "get"),
            ("/models/{name}/forecast", "post"),
            ("/models/{name}/classify", "post"),
            ("/models", "get"),
            ("/models/{name}", "get"),
            ("/models/{name}", "delete"),
            ("/models/{name}/versions", "post"),
            ("/models/{name}/versions/{version}", "get"),
            ("/models/{name}/versions/{version}", "delete"),
            ("/models/{name}/versions/{version}/weights", "get"),
            ("/models/{name}/aliases/{alias}", "put"),
            ("/models/{name}/aliases/{alias}", "delete"),
            ("/models/{name}/streams", "post"),
            ("/models/{name}/versions/{version}/monitoring", "get"),
            ("/streams/{id}/observations", "post"),
            ("/streams/{id}", "get"),
            ("/streams/{id}", "delete"),
            ("/streams/{id}/state", "get"),
            ("/health/live", "get"),
            ("/health/ready", "get"),
            ("/v2", "get"),
            ("/v2/health/live", "get"),
            ("/v2/health/ready", "get"),
            ("/v2/models/{name}", "get"),
            ("/v2/models/{name}/versions/{version}", "get"),
            ("/v2/models/{name}/ready", "get"),
            ("/v2/models/{name}/versions/{version}/ready", "get"),
            ("/v2/models/{name}/infer", "post"),
            ("/v2/models/{name}/versions/{version}/infer", "post"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing from the OpenAPI document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} missing");
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("description").GetString()));
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()));
        }
        Assert.Equal(expected.Length, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));

        // Request bodies carry runnable examples.
        var train = paths.GetProperty("/models/{name}/training-jobs").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json");
        Assert.True(train.GetProperty("example").GetProperty("series").GetArrayLength() > 0);
        var forecast = paths.GetProperty("/models/{name}/forecast").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json");
        Assert.True(forecast.GetProperty("example").GetProperty("series").GetArrayLength() > 0);
        // The forecast example runs against the demo model: a real sunspots history, longer than any window it may pick.
        var example = forecast.GetProperty("example").GetProperty("series")[0];
        Assert.Equal("sunspots", example.GetProperty("id").GetString());
        Assert.True(example.GetProperty("history").GetArrayLength() >= 60);
        var classify = paths.GetProperty("/models/{name}/classify").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json");
        Assert.True(classify.GetProperty("example").GetProperty("sequences").GetArrayLength() > 0);

        // The v2 inference example is the protocol's $inference_request with the demo model's tensor.
        var infer = paths.GetProperty("/v2/models/{name}/infer").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("history", infer.GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal(60, infer.GetProperty("inputs")[0].GetProperty("data").GetArrayLength());

        // The training operation takes JSON or a CSV upload (multipart/form-data) with the same hyperparameters as form fields.
        var upload = paths.GetProperty("/models/{name}/training-jobs").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", upload.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.True(upload.GetProperty("properties").TryGetProperty("horizon", out _));
        Assert.False(upload.GetProperty("properties").TryGetProperty("series", out _));
        Assert.Equal(["file"], upload.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(upload.GetProperty("properties").TryGetProperty("covariateColumns", out _));
        // Classification's fields are the JSON body's alone: a CSV trains a forecaster.
        Assert.False(upload.GetProperty("properties").TryGetProperty("validationSplit", out _));
        Assert.False(upload.GetProperty("properties").TryGetProperty("classWeights", out _));
        // Nor does its task offer classification, which the form refuses (the JSON body's task offers both).
        Assert.Equal(["forecasting"], upload.GetProperty("properties").GetProperty("task").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // Every form field has a type and a description: the enums' (cell, scaling, strategy, transform, task) had neither,
        // and Swagger UI's form showed them as "any".
        foreach (var field in upload.GetProperty("properties").EnumerateObject())
        {
            Assert.True(field.Value.TryGetProperty("type", out _), $"{field.Name} has no type");
            Assert.False(string.IsNullOrEmpty(field.Value.TryGetProperty("description", out var d) ? d.GetString() : null), $"{field.Name} has no description");
        }
        Assert.Equal("string", upload.GetProperty("properties").GetProperty("cell").GetProperty("type").GetString());

        // The forecasting options are documented fields of the training request, and covariates of the series.
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var request = schemas.GetProperty("TrainingRequest").GetProperty("properties");
        foreach (var field in (string[])["seasonLength", "ensemble", "highway", "refit", "calibrate", "search", "strategy", "scaling", "futureCovariates"])
            Assert.False(string.IsNullOrEmpty(request.GetProperty(field).GetProperty("description").GetString())); // enums: beside their oneOf, not inside
        Assert.True(schemas.GetProperty("SeriesInput").GetProperty("properties").TryGetProperty("covariates", out _));
        Assert.True(schemas.GetProperty("ForecastSeriesInput").GetProperty("properties").TryGetProperty("futureCovariates", out _));
        Assert.Contains("recursive", schemas.GetProperty("ForecastStrategy").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // No enum's shared schema lists null: its nullable properties wrap it in oneOf [null, $ref], which a null must match once.
        foreach (var schema in schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("enum", out _)))
            Assert.DoesNotContain(schema.Value.GetProperty("enum").EnumerateArray(), e => e.ValueKind == JsonValueKind.Null);
        Assert.Contains(request.GetProperty("transform").GetProperty("oneOf").EnumerateArray(),
            branch => branch.TryGetProperty("type", out var type) && type.GetString() == "null");
        // Descriptions read as prose: a C# reference in a doc comment had been rendered as its signature (string?
        // OpenStreamRequest.Frequency, int TimeFrequency.MonthDay(...)), which names nothing a client sends.
        foreach (var text in Descriptions(document))
            Assert.DoesNotMatch(@"\b[A-Z][a-z]+[A-Z][A-Za-z]*\.[A-Z][A-Za-z]+|&lt;|\b(string|int|bool|double|float)\?? [A-Z]", text);

        // A stream state's window: numbers, null for a missing value (the exported state's own form, which an import takes).
        var window = schemas.GetProperty("SeriesState").GetProperty("properties").GetProperty("window");
        Assert.Equal("array", window.GetProperty("type").GetString());
        Assert.Equal(["null", "number"], window.GetProperty("items").GetProperty("type").EnumerateArray().Select(t => t.GetString()).Order());

        // Responses declare their schemas and problems.
        var get = paths.GetProperty("/training-jobs/{id}").GetProperty("get").GetProperty("responses");
        Assert.True(get.TryGetProperty("200", out _));
        Assert.True(paths.GetProperty("/models/{name}/training-jobs").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("TrainingJobStatus");
        Assert.Contains("running", status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));

        // What the pipeline answers before a handler is declared too: 401 and 403 by role, 413 and 415 where a body is read,
        // 400 for a route value of the wrong form; each a ProblemDetails whose schema the document holds.
        string[] Statuses(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
        Assert.Superset(new HashSet<string> { "401", "413", "415" }, Statuses("/models/{name}/forecast", "post").ToHashSet());
        Assert.DoesNotContain("403", Statuses("/models/{name}/forecast", "post"));
        Assert.Superset(new HashSet<string> { "401", "403", "413", "415" }, Statuses("/streams/{id}/observations", "post").ToHashSet());
        Assert.Superset(new HashSet<string> { "400", "401", "403" }, Statuses("/training-jobs/{id}/cancel", "post").ToHashSet());
        Assert.Contains("304", Statuses("/models/{name}/versions/{version}/weights", "get"));
        Assert.Contains("400", Statuses("/v2/models/{name}/ready", "get"));
        Assert.DoesNotContain("401", Statuses("/health/ready", "get"));
        var tooLarge = paths.GetProperty("/models/{name}/forecast").GetProperty("post").GetProperty("responses").GetProperty("415");
        var reference = tooLarge.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()!;
        Assert.True(schemas.TryGetProperty(reference.Split('/')[^1], out _), reference);
        // A v2 answer leaves its id out when the request had none, so the id is not required.
        Assert.DoesNotContain("id", schemas.GetProperty("InferenceResponse").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Swagger_ui_answers_with_html()
    {
        var response = await Client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var root = await Client.GetAsync("/swagger");
        Assert.True(root.IsSuccessStatusCode || (int)root.StatusCode is >= 300 and < 400);
        // The key entered under Authorize is not written to localStorage (Swagger UI's persistAuthorization).
        var config = await Client.GetStringAsync("/swagger/index.js");
        Assert.Contains("\"persistAuthorization\":false", config);
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        var live = await Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var kernels = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("kernels");
        Assert.Equal($"Kernel path {LstmService.Kernels.KernelInfo.ActivePath}, {LstmService.Kernels.WorkerTeam.Shared.Size} kernel threads.",
            kernels.GetProperty("description").GetString());
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("registry").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("training-workers").GetProperty("status").GetString());

        // HEAD, as some load balancers probe: the same status, no body.
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal("application/json", head.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public void Data_protection_keeps_its_keys_in_memory_and_the_start_loads_no_key_ring()
    {
        // Nothing uses it; its key ring had been loaded at every start, writing a key file or warning that keys are not persisted.
        Assert.IsType<Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider>(
            Factory.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
        Assert.DoesNotContain(Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(),
            s => s.GetType().FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
    }

    /// <summary>Every description and summary in the document, at any depth.</summary>
    static IEnumerable<string> Descriptions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name is "description" or "summary" && p.Value.ValueKind == JsonValueKind.String
            ? [p.Value.GetString()!] : Descriptions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Descriptions),
        _ => [],
    };
}

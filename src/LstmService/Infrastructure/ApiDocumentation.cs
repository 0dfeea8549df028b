using System.Text.Json.Nodes;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.OpenApi;

namespace LstmService.Infrastructure;

/// <summary>The OpenAPI document at /openapi/v1.json (with request examples) and Swagger UI at /swagger.</summary>
public static class ApiDocumentation
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
                    Description = "Train LSTM forecasters on your time series and ask them for forecasts. Queue a training job " +
                        "(POST /models/{name}/training-jobs), follow it (GET /training-jobs/{id} or its /events stream), then forecast " +
                        "(POST /models/{name}/forecast). Versions, aliases and weights live in the model registry.",
                };
                return Task.CompletedTask;
            });
            // Examples make Swagger UI's "Try it out" bodies runnable as they are: on the schema (OpenAPI 3.1 "examples")
            // and on each request body's media type, which is what Swagger UI pre-fills.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
                    schema.Examples = [JsonNode.Parse(example)!];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
                if (body is not null && Examples.TryGetValue(body.Type, out var example) && operation.RequestBody?.Content is { } content)
                {
                    foreach (var media in content.Values)
                        media.Example = JsonNode.Parse(example);
                }
                // The weights download has two bodies: raw bytes, or the state_dict object with ?format=torch.
                if (operation.OperationId == "GetModelVersionWeights" && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } weights)
                {
                    weights["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                    weights["application/json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "PyTorch state_dict: tensor name → {\"shape\": [...], \"data\": [...]}." },
                    };
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "LstmService v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "LstmService";
        });
        // Newcomers opening the root land in Swagger UI.
        app.MapGet("/", () => TypedResults.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }

    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(TrainingRequest)] = $$"""
            {
              "series": [ { "id": "sine", "values": [{{SineExample(72)}}] } ],
              "inputWindow": 12,
              "horizon": 6,
              "hiddenSize": 16,
              "epochs": 30,
              "quantiles": [0.1, 0.5, 0.9]
            }
            """,
        [typeof(ForecastRequest)] = $$"""
            {
              "series": [ { "id": "sine", "history": [{{SineExample(12)}}] } ],
              "horizon": 6
            }
            """,
        [typeof(SetAliasRequest)] = """{ "version": 1 }""",
        [typeof(RegisterVersionRequest)] = """
            {
              "stateDict": {
                "lstm.weight_ih_l0": { "shape": [4, 1], "data": [0.5, 0.1, -0.2, 0.3] },
                "lstm.weight_hh_l0": { "shape": [4, 1], "data": [0.1, 0.0, 0.2, -0.1] },
                "lstm.bias_ih_l0": { "shape": [4], "data": [0.0, 1.0, 0.0, 0.0] },
                "lstm.bias_hh_l0": { "shape": [4], "data": [0.0, 0.0, 0.0, 0.0] },
                "head.weight": { "shape": [1, 1], "data": [1.0] },
                "head.bias": { "shape": [1], "data": [0.0] }
              },
              "inputWindow": 8,
              "horizon": 1
            }
            """,
    };

    private static string SineExample(int n) =>
        string.Join(", ", Enumerable.Range(0, n).Select(t => Math.Round(10 + 5 * Math.Sin(2 * Math.PI * t / 12), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

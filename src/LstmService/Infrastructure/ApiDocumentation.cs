using System.Text.Json.Nodes;
using LstmService.Forecasts;
using LstmService.Models;
using LstmService.Training;
using Microsoft.AspNetCore.OpenApi;
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
                        "(POST /models/{name}/forecast). Versions, aliases and weights live in the model registry.\n\n" +
                        "**Demo:** on its first start (an empty data directory) the service trains the model `sunspots` on the bundled " +
                        "yearly sunspot numbers (1700-2008, horizon 10). Once GET /training-jobs shows it succeeded (about a minute), " +
                        "POST /models/sunspots/forecast with the pre-filled example forecasts 2009-2018.",
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
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var body = context.Description.ParameterDescriptions.FirstOrDefault(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
                if (body is not null && Examples.TryGetValue(body.Type, out var example) && operation.RequestBody?.Content is { } content)
                {
                    foreach (var media in content.Values)
                        media.Example = JsonNode.Parse(example);
                }
                if (operation.OperationId == "QueueTrainingJob" && operation.RequestBody?.Content is { } trainContent)
                    trainContent["multipart/form-data"] = await CsvUploadMediaTypeAsync(context, cancellationToken);
                // The weights download has two bodies: raw bytes, or the state_dict object with ?format=torch.
                if (operation.OperationId == "GetModelVersionWeights" && operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } weights)
                {
                    weights["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                    weights["application/json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "PyTorch state_dict: tensor name → {\"shape\": [...], \"data\": [...]}." },
                    };
                }
            });
        });
        return builder;
    }

    /// <summary>
    /// The CSV form of a training request: the file plus every field of <see cref="TrainingRequest"/> but the series,
    /// taken from its schema so the two bodies never drift apart.
    /// </summary>
    private static async Task<OpenApiMediaType> CsvUploadMediaTypeAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var request = await context.GetOrCreateSchemaAsync(typeof(TrainingRequest), cancellationToken: cancellationToken);
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [TrainingUpload.FileField] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Format = "binary",
                Description = "CSV file: a header row, a time column (named like date/time/week/year/timestamp, or holding text such as dates) " +
                    "and one or more numeric value columns, one series each, named after the header. Empty cells, NaN and NA are missing values.",
            },
        };
        foreach (var (name, schema) in request.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (name != "series") properties[name] = schema;
        properties[TrainingUpload.CovariateColumnsField] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Form only: comma-separated headers of value columns that are covariates of every other value column " +
                "(e.g. temperature,price) rather than series of their own. List those known in advance in futureCovariates.",
        };
        return new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { TrainingUpload.FileField },
                Properties = properties,
                Description = "A training job from a CSV file; the other fields are the JSON body's hyperparameters (lists such as quantiles " +
                    "and futureCovariates comma-separated), plus covariateColumns.",
            },
        };
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
              "horizon": 6
            }
            """,
        // Runs as it is against the demo model "sunspots" (trained on first start): the yearly sunspot numbers 1949-2008.
        [typeof(ForecastRequest)] = $$"""
            {
              "series": [ { "id": "sunspots", "history": [{{SunspotsHistory}}] } ],
              "horizon": 10
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

    /// <summary>The last 60 values (1949-2008) of SampleData/sunspots_yearly.csv: more than any input window the demo model may choose.</summary>
    internal const string SunspotsHistory =
        "134.7, 83.9, 69.4, 31.5, 13.9, 4.4, 38.0, 141.7, 190.2, 184.8, 159.0, 112.3, 53.9, 37.6, 27.9, 10.2, 15.1, 47.0, 93.8, 105.9, " +
        "105.5, 104.5, 66.6, 68.9, 38.0, 34.5, 15.5, 12.6, 27.5, 92.5, 155.4, 154.6, 140.4, 115.9, 66.6, 45.9, 17.9, 13.4, 29.4, 100.2, " +
        "157.6, 142.6, 145.7, 94.3, 54.6, 29.9, 17.5, 8.6, 21.5, 64.3, 93.3, 119.6, 111.0, 104.0, 63.7, 40.4, 29.8, 15.2, 7.5, 2.9";

    private static string SineExample(int n) =>
        string.Join(", ", Enumerable.Range(0, n).Select(t => Math.Round(10 + 5 * Math.Sin(2 * Math.PI * t / 12), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

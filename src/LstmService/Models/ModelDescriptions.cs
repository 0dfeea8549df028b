using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LstmService.Models;

/// <summary>The model endpoints' OpenAPI extras (long descriptions, examples, the weights download's two bodies), kept apart so the route table reads as a table.</summary>
internal static class ModelDescriptions
{
    public const string RegisterVersion =
        "Stores a model trained elsewhere (for example PyTorch nn.LSTM or nn.GRU + nn.Linear, exported as the JSON that " +
        "GET .../weights?format=torch returns) as the model's next version. Shapes are inferred from the tensors, the cell from their names (lstm.* or gru.*). A document exported " +
        "by this service carries its forecast settings under \"_forecast\" (inputWindow, horizon, quantiles, scaling, strategy, " +
        "seasonLength, ensemble, covariates, futureCovariates), so it registers on its own: the other fields are then optional and, when " +
        "given, must agree with it. A plain PyTorch state_dict needs inputWindow and horizon, and quantiles must match the head's outputs " +
        "(horizon × (1 + quantiles), or 1 + quantiles with strategy recursive). The optional highway.weight/highway.bias and " +
        "calibration tensors are read back, so an exported version, covariate models included, registers with identical forecasts " +
        "(an ensemble exports as its merged network). Answers 201 with the version.";

    public const string GetVersion =
        "Architecture (per-member hiddenSize and the merged network's mergedHiddenSize, ensembleSize, strategy, the " +
        "highway's AR orders and window, seasonLength, calibration, covariates, the transform, nonNegative and the classical " +
        "forecasters mixed with the network with their weights), the resolved training settings, metrics (the loss " +
        "curve and its summary, missing values, the rolling-origin backtest of the validation part with RMSE, MAE, MASE and sMAPE of the " +
        "model next to the naive and seasonal-naive forecasts, interval coverage, and with search every candidate's validation MASE and loss), " +
        "data fingerprint, weights SHA-256 and size, training job id, creation time and availability.";

    public const string DeleteModel =
        "Deletes the model, all its versions and aliases, its streams (with their scores and anomalies), and weights files no other version uses. " +
        "Its queued and running training jobs are cancelled, each job's error saying the model was deleted.";

    public const string DeleteVersion =
        "Deletes the version and its weights file if no other version uses it. A version that aliases point to is " +
        "not deleted: the answer is 409 naming the aliases; move or delete them first. Nor is a version that streams read: " +
        "409 naming the oldest of them; delete them first (DELETE /streams/{id}), or let them expire after Streams:IdleDays without an append.";

    public const string GetWeights =
        "format=binary (default): the library's binary file (application/octet-stream), with its SHA-256 as ETag. " +
        "format=torch's document has its own ETag (the SHA-256, \".torch-v\" and the export's version); both honour If-None-Match (304) and If-Match (412). " +
        "format=torch: the PyTorch state_dict-shaped JSON ({\"lstm.weight_ih_l0\": {\"shape\": [...], \"data\": [...]}, ...}, gru.* for a GRU, plus " +
        "the forecast settings under the non-tensor key \"_forecast\"; drop keys starting with '_' before torch's load_state_dict), which " +
        "POST /models/{name}/versions registers again as the body's stateDict ({\"stateDict\": <the export>}; a forecaster's: a classifier's is not taken back). " +
        "The example below is shortened: each tensor's data holds as many numbers as its shape's product. A torch export is built in memory, so it counts against " +
        "HeavyRequests:MaxConcurrent as a large forecast body does (503 with Retry-After when every slot is taken).";

    public const string SetAliasExample = """{ "version": 1 }""";

    /// <summary>A one-unit PyTorch LSTM with its linear head: registers as it is.</summary>
    public const string RegisterVersionExample = """
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
        """;

    /// <summary>The weights download has two bodies: raw bytes, or the state_dict object with ?format=torch.</summary>
    public static Task DescribeWeightsBodies(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } weights)
        {
            weights["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            weights["application/json"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "PyTorch state_dict: tensor name → {\"shape\": [...], \"data\": [...]}." },
                // The endpoint's WithResponseExample, put on the media type this replaces (the global transformers ran first).
                Example = weights.TryGetValue("application/json", out var declared) ? declared.Example : null,
            };
        }
        // The conditional request headers the answer honours (304 for If-None-Match, 412 for an If-Match that does not match).
        operation.Parameters ??= [];
        foreach (var (header, purpose) in new[]
        {
            ("If-None-Match", "The ETag of a copy held: 304 without a body while the weights (in this format) are unchanged."),
            ("If-Match", "The ETag the weights must have: 412 when they have another."),
        })
            operation.Parameters.Add(new OpenApiParameter { Name = header, In = ParameterLocation.Header, Required = false, Description = purpose, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        operation.Responses ??= [];
        operation.Responses.TryAdd("412", new OpenApiResponse
        {
            Description = "Precondition Failed: If-Match names another ETag (the detail says the weights' own).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) } },
        });
        return Task.CompletedTask;
    }
}

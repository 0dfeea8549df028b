using LstmService.Infrastructure;

namespace LstmService.Models;

/// <summary>The routes of the model registry: models, versions, weights and aliases (handlers in <see cref="ModelHandlers"/>).</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/models").WithTags("Models").AddEndpointFilter<RouteNameFilter>().RequireReadKey();

        models.MapGet("/", ModelHandlers.ListModels)
            .WithName("ListModels")
            .WithSummary("List models")
            .WithDescription("Every model with its number of versions, newest version and aliases.")
            .WithResponseExample(StatusCodes.Status200OK, ModelExamples.Models);

        // Reads show the demo model's name as the example of {name}, so "Try it out" runs as pre-filled; deletes and writes
        // do not, so a pre-filled form never deletes or changes the demo model.
        models.MapGet("/{name}", ModelHandlers.GetModel)
            .WithName("GetModel")
            .WithParameterExample("name", "sunspots")
            .WithSummary("Get a model")
            .WithDescription("The model's versions (oldest first, with availability) and aliases.")
            .WithResponseExample(StatusCodes.Status200OK, ModelExamples.Model)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapDelete("/{name}", ModelHandlers.DeleteModel)
            .RequireWriteKey()
            .WithName("DeleteModel")
            .WithSummary("Delete a model")
            .WithDescription(ModelDescriptions.DeleteModel)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapPost("/{name}/versions", ModelHandlers.RegisterVersion)
            .RequireWriteKey()
            .HeavyRequest()
            .WithName("RegisterModelVersion")
            .WithSummary("Register a version from a state_dict")
            .WithDescription(ModelDescriptions.RegisterVersion)
            .WithRequestExample<RegisterVersionRequest>(ModelDescriptions.RegisterVersionExample)
            .WithRequestBodyDescription("A PyTorch-style `stateDict` (this service's torch export as it is), with the forecast settings it was trained with where the document does not carry them.")
            .WithResponseExample(StatusCodes.Status201Created, ModelExamples.RegisteredVersion)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        // Version 1 is the demo's first (and on a fresh start only) version.
        models.MapGet("/{name}/versions/{version:int:min(1)}", ModelHandlers.GetVersion)
            .WithName("GetModelVersion")
            .WithParameterExample("name", "sunspots")
            .WithParameterExample("version", "1")
            .WithSummary("Get a version's metadata")
            .WithDescription(ModelDescriptions.GetVersion)
            .WithResponseExample(StatusCodes.Status200OK, ModelExamples.Version)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapDelete("/{name}/versions/{version:int:min(1)}", ModelHandlers.DeleteVersion)
            .RequireWriteKey()
            .WithName("DeleteModelVersion")
            .WithSummary("Delete a version")
            .WithDescription(ModelDescriptions.DeleteVersion)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        models.MapGet("/{name}/versions/{version:int:min(1)}/weights", ModelHandlers.GetWeights)
            .WithName("GetModelVersionWeights")
            .WithParameterExample("name", "sunspots")
            .WithParameterExample("version", "1")
            .WithSummary("Download a version's weights")
            .WithDescription(ModelDescriptions.GetWeights)
            .WithParameterDescription("format", "binary (the default): the library's own format, application/octet-stream; torch: a PyTorch " +
                "state_dict as JSON, which POST /models/{name}/versions registers again.", "binary", "torch")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream", "application/json")
            .Produces(StatusCodes.Status304NotModified) // If-None-Match with the version's ETag
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The weights' SHA-256 in quotes (with \".torch-v1\" for format=torch), for If-None-Match and If-Match.")
            .WithResponseHeader(StatusCodes.Status304NotModified, "ETag", "The same tag as If-None-Match named.")
            .WithResponseExample(StatusCodes.Status200OK, ModelExamples.Weights) // the JSON form (?format=torch)
            .AddOpenApiOperationTransformer(ModelDescriptions.DescribeWeightsBodies)
            // torch's format is built whole in memory from the loaded network (hundreds of MB for millions of parameters).
            // Read as the handler reads it: ?format=TORCH is torch's too, and had run uncounted.
            .HeavyRequestWhen(request => string.Equals(request.Query["format"], "torch", StringComparison.OrdinalIgnoreCase) && !HttpMethods.IsHead(request.Method))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        models.MapPut("/{name}/aliases/{alias}", ModelHandlers.SetAlias)
            .RequireWriteKey()
            .WithName("SetModelAlias")
            .WithSummary("Point an alias at a version")
            .WithDescription("Creates or moves the alias (for example 'production'); forecasts can then use ?alias=production. An alias of only digits is refused: the v2 API would read it as a version number.")
            .WithRequestExample<SetAliasRequest>(ModelDescriptions.SetAliasExample)
            .WithRequestBodyDescription("The version the alias is to point to.")
            .WithResponseExample(StatusCodes.Status200OK, ModelExamples.Alias)
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapDelete("/{name}/aliases/{alias}", ModelHandlers.DeleteAlias)
            .RequireWriteKey()
            .WithName("DeleteModelAlias")
            .WithSummary("Delete an alias")
            .WithDescription("Removes the alias; the version stays.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}

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
            .WithDescription("Every model with its number of versions, newest version and aliases.");

        models.MapGet("/{name}", ModelHandlers.GetModel)
            .WithName("GetModel")
            .WithSummary("Get a model")
            .WithDescription("The model's versions (oldest first, with availability) and aliases.")
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
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        models.MapGet("/{name}/versions/{version:int}", ModelHandlers.GetVersion)
            .WithName("GetModelVersion")
            .WithSummary("Get a version's metadata")
            .WithDescription(ModelDescriptions.GetVersion)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        models.MapDelete("/{name}/versions/{version:int}", ModelHandlers.DeleteVersion)
            .RequireWriteKey()
            .WithName("DeleteModelVersion")
            .WithSummary("Delete a version")
            .WithDescription(ModelDescriptions.DeleteVersion)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        models.MapGet("/{name}/versions/{version:int}/weights", ModelHandlers.GetWeights)
            .WithName("GetModelVersionWeights")
            .WithSummary("Download a version's weights")
            .WithDescription(ModelDescriptions.GetWeights)
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream", "application/json")
            .AddOpenApiOperationTransformer(ModelDescriptions.DescribeWeightsBodies)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        models.MapPut("/{name}/aliases/{alias}", ModelHandlers.SetAlias)
            .RequireWriteKey()
            .WithName("SetModelAlias")
            .WithSummary("Point an alias at a version")
            .WithDescription("Creates or moves the alias (for example 'production'); forecasts can then use ?alias=production.")
            .WithRequestExample<SetAliasRequest>(ModelDescriptions.SetAliasExample)
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

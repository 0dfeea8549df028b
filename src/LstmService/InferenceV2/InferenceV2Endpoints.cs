using LstmService.Infrastructure;

namespace LstmService.InferenceV2;

/// <summary>
/// The Open Inference Protocol (KServe v2 REST) beside the service's own API, so KServe clients and gateways can call the
/// models: server and model metadata, health, readiness and inference. Inference goes through the forecast endpoint's
/// lookup and forecasting (<see cref="Forecasts.ForecastEndpoints.Forecast"/>); errors are the protocol's {"error": "..."}.
/// </summary>
public static class InferenceV2Endpoints
{
    public static IEndpointRouteBuilder MapInferenceV2Endpoints(this IEndpointRouteBuilder app)
    {
        // The protocol's clients follow its specification, not this API's rule for unknown query parameters.
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol v2").AllowAnyQueryParameters();
        var errors = typeof(InferenceErrorResponse);

        v2.MapGet("", InferenceV2Handlers.ServerMetadata)
            .RequireReadKey()
            .WithName("V2ServerMetadata")
            .WithSummary("Server metadata (v2)")
            .WithDescription("The server's name, version and protocol extensions (none).")
            .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ServerMetadataExample);

        // Probes carry no key, like /health/live and /health/ready.
        v2.MapGet("/health/live", InferenceV2Handlers.ServerLive)
            .AllowAnonymous()
            .WithName("V2ServerLive")
            .WithSummary("Server live (v2)")
            .WithDescription("{\"live\": true} while the process serves requests.")
            .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ServerLiveExample);
        v2.MapGet("/health/ready", InferenceV2Handlers.ServerReady)
            .AllowAnonymous()
            .WithName("V2ServerReady")
            .WithSummary("Server ready (v2)")
            .WithDescription("{\"ready\": true} once the registry is open and the training workers run (the checks of /health/ready); 503 with {\"ready\": false} otherwise.")
            .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ServerReadyExample)
            .Produces<ServerReadyResponse>(StatusCodes.Status503ServiceUnavailable);

        // The demo model and its version 1 (an example applies only to routes with that parameter), so every route runs as pre-filled.
        var models = v2.MapGroup("/models/{name}").RequireReadKey().WithParameterExample("name", "sunspots").WithParameterExample("version", "1");
        const string versionText = " {version} is a version number or an alias; without it, the newest available version answers.";
        (string Path, string Suffix, Delegate Metadata, Delegate Ready, Delegate Infer)[] routes =
        [
            ("", "", InferenceV2Handlers.ModelMetadata, InferenceV2Handlers.ModelReady, InferenceV2Handlers.Infer),
            ("/versions/{version}", "Version", InferenceV2Handlers.VersionMetadata, InferenceV2Handlers.VersionReady, InferenceV2Handlers.InferVersion),
        ];
        foreach (var (path, suffix, metadata, ready, infer) in routes)
        {
            models.MapGet(path, metadata)
                .WithName("V2ModelMetadata" + suffix)
                .WithSummary("Model metadata (v2)")
                .WithDescription("The model's versions and the input and output tensors of the version asked for: FP32 history [batch, length], " +
                    "the optional INT32 lengths [batch], one FP32 tensor per covariate (`covariates.NAME`, [batch, length]) and per covariate known in advance " +
                    "(`future_covariates.NAME`, [batch, steps]); outputs FP32 mean and `quantile_LEVEL`, [batch, horizon]. 404 {\"error\"} for an unknown model or version; " +
                    "400 for a classification version, which the protocol's tensors do not describe." + versionText)
                .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ModelMetadataExample)
                .Produces(StatusCodes.Status400BadRequest, errors)
                .Produces(StatusCodes.Status404NotFound, errors);

            models.MapGet(path + "/ready", ready)
                .WithName("V2ModelReady" + suffix)
                .WithSummary("Model ready (v2)")
                .WithDescription("{\"name\", \"ready\"}: ready once the version's weights load (false when they are missing or altered). 404 {\"error\"} for an unknown model or version; " +
                    "400 for a classification version." + versionText)
                .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ModelReadyExample)
                .Produces(StatusCodes.Status400BadRequest, errors)
                .Produces(StatusCodes.Status404NotFound, errors);

            models.MapPost(path + "/infer", infer)
                .RequireRateLimiting(RateLimits.Forecasts)
                .HeavyRequest(always: false)
                .WithName("V2Infer" + suffix)
                .WithSummary("Inference (v2)")
                .WithDescription(InferenceV2Documentation.InferDescription + versionText)
                .Accepts<InferenceRequest>("application/json")
                .WithRequestExample<InferenceRequest>(InferenceV2Documentation.Example)
                .WithRequestBodyDescription("The protocol's `$inference_request`: the `history` tensor (with `lengths` and the covariates' tensors as the model's metadata lists them), optional `parameters.horizon`, and the outputs wanted.")
                .WithResponseExample(StatusCodes.Status200OK, InferenceV2Documentation.ResponseExample)
                .WithResponseExample(StatusCodes.Status400BadRequest, InferenceV2Documentation.ErrorExample)
                .Produces(StatusCodes.Status400BadRequest, errors)
                .Produces(StatusCodes.Status404NotFound, errors)
                .Produces(StatusCodes.Status409Conflict, errors)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
        }
        return app;
    }
}

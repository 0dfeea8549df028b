using LstmService.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LstmService.Streams;

/// <summary>The routes of streams (handlers in <see cref="StreamHandlers"/>, texts in <see cref="StreamDocumentation"/>, answers' examples in <see cref="StreamExamples"/>).</summary>
public static class StreamEndpoints
{
    public static WebApplicationBuilder AddStreams(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StreamOptions>(StreamOptions.Section);
        builder.Services.AddSingleton<StreamStore>();
        builder.Services.AddSingleton<StreamService>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StreamPurgeService>();
        builder.Services.AddStreamStateDescriptions();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamPurgeService>());
        return builder;
    }

    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{name}/streams", StreamHandlers.Open)
            .WithTags("Streams")
            .RequireWriteKey()
            .RequireRateLimiting(RateLimits.Forecasts)
            .HeavyRequest(always: false)
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("OpenStream")
            // Opening a stream changes no model, so the pre-filled form may run on the demo model (its example history is
            // the forecast example's 60 years, more than the demo's input window of 31).
            .WithParameterExample("name", "sunspots")
            .WithSummary("Open a stream on a version")
            .WithDescription(StreamDocumentation.Open)
            .WithRequestExample<OpenStreamRequest>(StreamDocumentation.OpenExample)
            .WithRequestBodyDescription("The series' id and its history (with its covariates for a version trained with them), or a `state` that GET /streams/{id}/state exported.")
            .WithResponseExample(StatusCodes.Status201Created, StreamExamples.Opened)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        app.MapGet("/models/{name}/versions/{version:int:min(1)}/monitoring", StreamHandlers.Monitoring)
            .WithTags("Streams")
            .RequireReadKey()
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("GetVersionMonitoring")
            .WithParameterExample("name", "sunspots")
            .WithParameterExample("version", "1")
            .WithSummary("A version's online accuracy next to its backtest")
            .WithDescription(StreamDocumentation.Monitoring)
            .WithResponseExample(StatusCodes.Status200OK, StreamExamples.Monitoring)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // A stream's id has no example that runs everywhere (ids are random), so the form says where to get one.
        var streams = app.MapGroup("/streams").WithTags("Streams")
            .WithParameterDescription("id", "The stream's id: the `id` of the 201 answer to POST /models/{name}/streams.");
        streams.MapPost("/{id}/observations", StreamHandlers.Append)
            .RequireWriteKey()
            .RequireRateLimiting(RateLimits.Forecasts)
            .HeavyRequest(always: false)
            .WithName("AppendObservations")
            .WithSummary("Append values to a stream")
            .WithDescription(StreamDocumentation.Append)
            .WithRequestExample<AppendObservationsRequest>(StreamDocumentation.AppendExample)
            .WithRequestBodyDescription("The new values, oldest first (null = missing), with each covariate's values at the same steps and, on a dated stream, optionally their times.")
            .WithResponseExample(StatusCodes.Status200OK, StreamExamples.Appended)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        streams.MapGet("/{id}", StreamHandlers.Get)
            .RequireReadKey()
            .WithName("GetStream")
            .WithSummary("A stream's forecast, values, monitoring and anomalies")
            .WithDescription(StreamDocumentation.Get)
            .WithResponseExample(StatusCodes.Status200OK, StreamExamples.Stream)
            .ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapGet("/{id}/state", StreamHandlers.GetState)
            .RequireReadKey()
            .WithName("ExportStreamState")
            .WithSummary("Export a stream's state")
            .WithDescription(StreamDocumentation.State)
            .WithResponseExample(StatusCodes.Status200OK, StreamExamples.State)
            .ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapDelete("/{id}", StreamHandlers.Delete)
            .RequireWriteKey()
            .WithName("DeleteStream")
            .WithSummary("Delete a stream")
            .WithDescription("Deletes the stream, its scores and its anomalies (a version's monitoring then no longer counts them).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}

using LstmService.Infrastructure;
using LstmService.Kernels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LstmService.Health;

public static class HealthEndpoints
{
    private const string Live = "live";

    /// <summary>The tag of the readiness checks; <see cref="ReadinessAsync"/> adds the drain to them.</summary>
    internal const string Ready = "ready";

    /// <summary>Readiness as /health/ready reports it (the v2 protocol's server readiness says the same).</summary>
    internal static Task<HealthReport> ReadinessAsync(HealthCheckService health, ShutdownDrain drain, CancellationToken ct) => ReportAsync(health, drain, Ready, ct);

    public static WebApplicationBuilder AddServiceHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("The process answers."), tags: [Live])
            // Which kernel path the CPU and DOTNET_* settings gave (e.g. vector512+fma), so operators can see it.
            .AddCheck("kernels", () => HealthCheckResult.Healthy($"Kernel path {KernelInfo.ActivePath}, {WorkerTeam.Shared.Size} kernel threads."), tags: [Live])
            .AddCheck<DataDirectoryLivenessCheck>("data-directory", tags: [Live])
            .AddCheck<RegistryHealthCheck>("registry", tags: [Ready])
            .AddCheck<TrainingWorkersHealthCheck>("training-workers", tags: [Ready]);
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthTransitionLog>();
        builder.Services.Configure<HealthCheckPublisherOptions>(o => o.Period = HealthTransitionLog.Period);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Open even when keys are configured: probes carry no key; a probe's query (a balancer's own marker) refuses nothing.
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous().AllowAnyQueryParameters();

        health.MapGet("/live", GetLiveness)
            .WithName("GetLiveness")
            .WithSummary("Liveness probe")
            .WithDescription("200 while the process serves requests; restart the container when this fails.")
            .WithResponseExample(StatusCodes.Status200OK, HealthExamples.Live);

        health.MapGet("/ready", GetReadiness)
            .WithName("GetReadiness")
            .WithSummary("Readiness probe")
            .WithDescription("200 once the registry is open and the training workers run; 503 otherwise (send no traffic yet).")
            .WithResponseExample(StatusCodes.Status200OK, HealthExamples.Ready)
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        // Some load balancers probe with HEAD: the same checks and status, no body. Kept out of
        // the OpenAPI document, where they would repeat the GET operations.
        health.MapMethods("/live", [HttpMethods.Head], HeadLiveness).ExcludeFromDescription();
        health.MapMethods("/ready", [HttpMethods.Head], HeadReadiness).ExcludeFromDescription();
        return app;
    }

    public static Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetLiveness(HealthCheckService health, CancellationToken ct) =>
        Check(health, null, Live, ct);

    public static Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetReadiness(HealthCheckService health, ShutdownDrain drain, CancellationToken ct) =>
        Check(health, drain, Ready, ct);

    public static Task<Results<Ok, StatusCodeHttpResult>> HeadLiveness(HealthCheckService health, HttpContext http, CancellationToken ct) =>
        Status(health, null, Live, http, ct);

    public static Task<Results<Ok, StatusCodeHttpResult>> HeadReadiness(HealthCheckService health, ShutdownDrain drain, HttpContext http, CancellationToken ct) =>
        Status(health, drain, Ready, http, ct);

    private static async Task<Results<Ok, StatusCodeHttpResult>> Status(HealthCheckService health, ShutdownDrain? drain, string tag, HttpContext http, CancellationToken ct)
    {
        var report = await ReportAsync(health, drain, tag, ct);
        // The headers GET would send (RFC 9110, 9.3.2), without the body.
        http.Response.ContentType = "application/json; charset=utf-8";
        return report.Status == HealthStatus.Unhealthy ? TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable) : TypedResults.Ok();
    }

    /// <summary>
    /// The checks of <paramref name="tag"/>, and for readiness the drain's entry. The drain is no registered health check
    /// because the health check service logs every unhealthy result as an error: each probe of a pod that is stopping as
    /// asked had written one.
    /// </summary>
    internal static async Task<HealthReport> ReportAsync(HealthCheckService health, ShutdownDrain? drain, string tag, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), ct);
        if (drain is null) return report;
        var entries = new Dictionary<string, HealthReportEntry>(report.Entries, StringComparer.OrdinalIgnoreCase)
        {
            ["shutdown"] = drain.Draining
                ? new(HealthStatus.Unhealthy, "Shutting down: requests that reach the service are still served (Shutdown:DrainSeconds).", TimeSpan.Zero, null, null)
                : new(HealthStatus.Healthy, "Not stopping.", TimeSpan.Zero, null, null),
        };
        return new HealthReport(entries, report.TotalDuration);
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Check(HealthCheckService health, ShutdownDrain? drain, string tag, CancellationToken ct)
    {
        var report = await ReportAsync(health, drain, tag, ct);
        var response = new HealthResponse(report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthCheckResponse(e.Value.Status.ToString(), e.Value.Description)));
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(response);
    }
}

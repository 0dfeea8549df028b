using Prometheus;

namespace LstmService.Infrastructure;

public static class MetricsExtensions
{
    public static WebApplicationBuilder AddServiceMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServiceMetrics>();
        return builder;
    }

    /// <summary>
    /// Request counts (http_requests_received_total) and latency histograms (http_request_duration_seconds) per endpoint
    /// (the route pattern, so model names never become labels), method and status code, plus requests in progress. The
    /// host routes first (implicitly), so the endpoint is known here.
    /// </summary>
    public static WebApplication UseServiceMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        metrics.KernelPath.WithLabels(Kernels.KernelInfo.ActivePath).Set(1);
        app.UseHttpMetrics(o => o.SetMetricFactory(ServiceMetrics.Factory(metrics.Registry)));
        return app;
    }

    /// <summary>GET /metrics: the Prometheus text format, open like the health probes (a scraper carries no key).</summary>
    public static IEndpointRouteBuilder MapServiceMetrics(this IEndpointRouteBuilder app)
    {
        var metrics = app.ServiceProvider.GetRequiredService<ServiceMetrics>();
        app.MapMetrics("/metrics", metrics.Registry).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

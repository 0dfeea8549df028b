namespace LstmService.Infrastructure;

public static class HeavyRequestExtensions
{
    /// <summary>Counts this endpoint's requests against HeavyRequests:MaxConcurrent (all of them, or with <paramref name="always"/> false only large bodies).</summary>
    public static TBuilder HeavyRequest<TBuilder>(this TBuilder builder, bool always = true) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeavyRequestMetadata(always)).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Counts the requests <paramref name="when"/> picks as a large body counts (in the slots a read key may take).</summary>
    public static TBuilder HeavyRequestWhen<TBuilder>(this TBuilder builder, Func<HttpRequest, bool> when) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeavyRequestMetadata(false, when)).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>After authentication and rate limiting (see <see cref="HeavyRequestLimiter"/>).</summary>
    public static WebApplication UseHeavyRequestLimit(this WebApplication app)
    {
        app.UseMiddleware<HeavyRequestLimiter>();
        return app;
    }
}

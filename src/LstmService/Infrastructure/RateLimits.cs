using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// ASP.NET Core rate limiting with two policies endpoints opt into: one for forecasts and one for training submits, each a
/// fixed window per API key (per client address in the open mode). A rejected request answers 429 with Retry-After. The
/// values forecasts compute are limited too, once a request's size is known (<see cref="ForecastPointLimiter"/>).
/// </summary>
public static class RateLimits
{
    public const string Forecasts = "forecasts";
    public const string TrainingSubmits = "training-submits";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<ForecastPointLimiter>();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.AddPolicy(Forecasts, http => Partition(http, l, nameof(RateLimitOptions.ForecastPermits), l.ForecastWindowSeconds));
            o.AddPolicy(TrainingSubmits, http => Partition(http, l, nameof(RateLimitOptions.TrainingSubmitPermits), l.TrainingSubmitWindowSeconds));
            o.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, l, ct);
        });
        return builder;
    }

    /// <summary>After authentication, whose key names the partition.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions limits, string limit, int windowSeconds)
    {
        var key = PartitionKey(http);
        var (permits, _) = Limit(key, limit, limits, http.RequestServices.GetRequiredService<ApiKeyStore>());
        if (permits == 0) return RateLimitPartition.GetNoLimiter(key);
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(windowSeconds),
            QueueLimit = 0, // a caller over its limit is told to come back, not held in a queue that ties up a connection
        });
    }

    /// <summary>The key's name when a key was sent; the client address in the open mode, where anyone is the same anonymous caller.</summary>
    internal static string PartitionKey(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && !http.User.HasClaim(c => c.Type == ApiKeyAuthenticationHandler.OpenClaim)
            ? "key:" + http.User.FindFirstValue(ClaimTypes.Name)
            : "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>
    /// A partition's permits of a limit (named as in <see cref="RateLimitOptions"/>) and the setting that gives them: its API
    /// key's own <c>Auth:ApiKeys:N:&lt;limit&gt;</c> when set, else the RateLimits section's.
    /// </summary>
    internal static (int Permits, string Setting) Limit(string partitionKey, string limit, RateLimitOptions limits, ApiKeyStore keys) =>
        partitionKey.StartsWith("key:", StringComparison.Ordinal) && keys.OwnLimit(partitionKey[4..], limit) is { } own
            ? own
            : (limits.Permits(limit), $"{RateLimitOptions.Section}:{limit}");

    /// <summary>What a limit counts by, for messages: the API key, or the client address in the open mode.</summary>
    internal static string PartitionName(HttpContext http) =>
        ByKey(http) ? "API key" : "client address (the service runs without API keys)";

    /// <summary>Whether the caller's limits are its API key's (else its client address's, in the open mode).</summary>
    internal static bool ByKey(HttpContext http) => PartitionKey(http).StartsWith("key:", StringComparison.Ordinal);

    private static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, RateLimitOptions limits, CancellationToken ct)
    {
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
        var (limit, window, what) = policy == TrainingSubmits
            ? (nameof(RateLimitOptions.TrainingSubmitPermits), limits.TrainingSubmitWindowSeconds, "training submits")
            : (nameof(RateLimitOptions.ForecastPermits), limits.ForecastWindowSeconds, "forecasts (stream opens and appends, classifications and v2 inferences count as forecasts)");
        var (permits, setting) = Limit(PartitionKey(http), limit, limits, http.RequestServices.GetRequiredService<ApiKeyStore>());
        // The fixed window's own figure is its length, not what is left of it: an upper bound of the wait.
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : window;
        retryAfter = Math.Max(1, retryAfter);

        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await http.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Rate limit exceeded",
            $"At most {permits} {what} per {window} s per {PartitionName(http)} " +
            $"({setting}). Retry after {retryAfter} seconds.");
    }
}

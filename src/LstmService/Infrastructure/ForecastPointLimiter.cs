using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// <see cref="RateLimitOptions.ForecastPointPermits"/>: the values a key's forecasts may compute per window (series x
/// horizon; a stream's opening or append, which forecasts once, its horizon; a classified sequence one; and the values
/// that fill a history's trailing gap, <see cref="LstmService.Forecasting.Models.ForecastModel.GapFillValues"/>), partitioned as the
/// request limits are. The request limit counts a forecast of 10,000 series as one; this counts
/// its work. Taken once a request is valid (its series and horizon known), before anything is forecast.
/// </summary>
public sealed class ForecastPointLimiter : IDisposable
{
    private const string Limit = nameof(RateLimitOptions.ForecastPointPermits);
    private readonly RateLimitOptions _options;
    private readonly ApiKeyStore _keys;
    private readonly PartitionedRateLimiter<string>? _limiter;

    public ForecastPointLimiter(IOptions<RateLimitOptions> options, ApiKeyStore keys)
    {
        _options = options.Value;
        _keys = keys;
        if (_options.ForecastPointPermits == 0 && !keys.AnyOwnLimit(Limit)) return;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => Permits(key).Permits is var permits and > 0
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromSeconds(_options.ForecastWindowSeconds),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(key));
    }

    /// <summary>The partition's permits per window (0: none counted) and the setting that gives them.</summary>
    private (int Permits, string Setting) Permits(string partitionKey) => RateLimits.Limit(partitionKey, Limit, _options, _keys);

    /// <summary>
    /// Why a request of <paramref name="points"/> can never pass (it is larger than a whole window allows, so no wait would
    /// help: a 400 under the series' field), or null.
    /// </summary>
    /// <param name="points">The values the request asks for.</param>
    /// <param name="advice">What the caller can do about it.</param>
    /// <param name="http">The request, whose partition (an API key, or a client address in the open mode) the message names.</param>
    public string? TooLarge(HttpContext http, long points, string advice = "send fewer series per request") =>
        _limiter is not null && Permits(RateLimits.PartitionKey(http)) is { Permits: > 0 } limit && points > limit.Permits
            ? $"This request asks for {points} values ({Counted}); {(RateLimits.ByKey(http) ? "an API key" : "a client address")} " +
              $"may have {limit.Permits} per {_options.ForecastWindowSeconds} s ({limit.Setting}): {advice}."
            : null;

    /// <summary>Null when the caller's window holds <paramref name="points"/> more (they are taken); else the 429, with Retry-After.</summary>
    public ProblemHttpResult? TryTake(HttpContext http, long points)
    {
        if (_limiter is null || points is 0 or > int.MaxValue) return null;
        using var lease = _limiter.AttemptAcquire(RateLimits.PartitionKey(http), Acquirable(http, points));
        return lease.IsAcquired ? null : Refusal(http, points, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null);
    }

    /// <summary>
    /// Null when the caller's window holds <paramref name="points"/> more, taking none; else the 429. For work that may still
    /// be refused after this check (a stream append racing another): <see cref="Take"/> once it is done.
    /// </summary>
    public ProblemHttpResult? HasRoom(HttpContext http, long points) =>
        _limiter is null || points is 0 or > int.MaxValue || _limiter.GetStatistics(RateLimits.PartitionKey(http)) is not { } stats || stats.CurrentAvailablePermits >= points
            ? null : Refusal(http, points, null);

    /// <summary>Takes <paramref name="points"/> for work already done (after <see cref="HasRoom"/>); a window emptied meanwhile by others lets it pass.</summary>
    public void Take(HttpContext http, long points)
    {
        if (_limiter is null || points is 0 or > int.MaxValue) return;
        using var _ = _limiter.AttemptAcquire(RateLimits.PartitionKey(http), Acquirable(http, points));
    }

    /// <summary>
    /// <paramref name="points"/>, at most the caller's whole window: the limiter throws for more than its limit, which had
    /// answered a 500 where a caller missed <see cref="TooLarge"/> (a stream's trailing gap counted after the check).
    /// </summary>
    private int Acquirable(HttpContext http, long points) =>
        Permits(RateLimits.PartitionKey(http)) is { Permits: > 0 } limit ? (int)Math.Min(points, limit.Permits) : (int)points;

    private ProblemHttpResult Refusal(HttpContext http, long points, TimeSpan? wait)
    {
        var retryAfter = Math.Max(1, wait is { } w ? (int)Math.Ceiling(w.TotalSeconds) : _options.ForecastWindowSeconds);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var limit = Permits(RateLimits.PartitionKey(http));
        return TypedResults.Problem(
            title: "Rate limit exceeded",
            detail: $"At most {limit.Permits} forecast values ({Counted}) per {_options.ForecastWindowSeconds} s per " +
                $"{RateLimits.PartitionName(http)} ({limit.Setting}); this request asks for {points}. Retry after {retryAfter} seconds.",
            statusCode: StatusCodes.Status429TooManyRequests,
            type: "https://tools.ietf.org/html/rfc6585#section-4");
    }

    private const string Counted = "series x horizon, a stream's horizon per append, or sequences classified, and the values a trailing gap is filled with";

    public void Dispose() => _limiter?.Dispose();
}

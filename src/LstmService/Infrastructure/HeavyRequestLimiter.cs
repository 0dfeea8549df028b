using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Lets at most <see cref="HeavyRequestOptions.MaxConcurrent"/> heavy requests (endpoints with <see cref="HeavyRequestMetadata"/>)
/// run at once and answers 503 with Retry-After to the next one at once, before its body is read: the client is told to come
/// back instead of being held in a queue whose waiting bodies would cost the memory the limit exists to bound.
/// Runs after authentication and rate limiting, so neither an unauthenticated nor a rate-limited request takes a slot.
/// </summary>
public sealed class HeavyRequestLimiter
{
    private readonly RequestDelegate _next;
    private readonly HeavyRequestOptions _options;
    private readonly SemaphoreSlim? _slots;

    private readonly ServiceMetrics _metrics;

    public HeavyRequestLimiter(RequestDelegate next, IOptions<HeavyRequestOptions> options, ServiceMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
        _options = options.Value;
        _slots = _options.MaxConcurrent > 0 ? new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent) : null;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_slots is null || !IsHeavy(context))
        {
            await _next(context);
            return;
        }
        if (!_slots.Wait(0))
        {
            _metrics.HeavyRequestsRefused.Inc();
            context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await context.WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Too many heavy requests",
                $"At most {_options.MaxConcurrent} large requests (training submits, version registrations, forecast bodies over " +
                $"{_options.ForecastBodyBytes} bytes) run at once ({HeavyRequestOptions.Section}:{nameof(HeavyRequestOptions.MaxConcurrent)}). " +
                $"Retry after {_options.RetryAfterSeconds} seconds.");
            return;
        }
        try
        {
            // A slot bounds memory, so its body must keep coming: the connection ends (408) below this rate. Kestrel takes a
            // per-request rate on HTTP/1.x only (HTTP/2 and 3 throw NotSupportedException): there its server-wide
            // Kestrel:Limits:MinRequestBodyDataRate applies.
            if (_options.MinBodyBytesPerSecond > 0 && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
                && context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
                rate.MinDataRate = new MinDataRate(_options.MinBodyBytesPerSecond, TimeSpan.FromSeconds(5));
            await _next(context);
        }
        finally
        {
            _slots.Release();
        }
    }

    private bool IsHeavy(HttpContext context)
    {
        var heavy = context.GetEndpoint()?.Metadata.GetMetadata<HeavyRequestMetadata>();
        if (heavy is null) return false;
        if (heavy.Always) return true;
        // A body of unknown length (chunked) may be as large as the body limit allows.
        return context.Request.ContentLength is not { } length || length > _options.ForecastBodyBytes;
    }
}

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
/// Requests heavy by their body's size (forecasts, classifications, inferences, stream bodies: what a read key may send)
/// and torch weight exports hold all slots but one: slow bodies from readers cannot keep every training submit and registration out.
/// </summary>
public sealed class HeavyRequestLimiter
{
    private readonly RequestDelegate _next;
    private readonly HeavyRequestOptions _options;
    private readonly SemaphoreSlim? _slots;
    private readonly SemaphoreSlim? _sizedSlots;

    private readonly ServiceMetrics _metrics;

    public HeavyRequestLimiter(RequestDelegate next, IOptions<HeavyRequestOptions> options, ServiceMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
        _options = options.Value;
        _slots = _options.MaxConcurrent > 0 ? new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent) : null;
        _sizedSlots = _options.MaxConcurrent > 1 ? new SemaphoreSlim(_options.MaxConcurrent - 1, _options.MaxConcurrent - 1) : null;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_slots is null || Heaviness(context) is not { } always)
        {
            await _next(context);
            return;
        }
        var sized = always ? null : _sizedSlots;
        if (sized is not null && !sized.Wait(0))
        {
            await RefuseAsync(context,
                $"At most {_options.MaxConcurrent - 1} forecast, classification, inference and stream bodies over {_options.ForecastBodyBytes} bytes (or of unknown length, or compressed) " +
                $"and weights exports in torch's format run at once: of the {_options.MaxConcurrent} heavy slots ({HeavyRequestOptions.Section}:{nameof(HeavyRequestOptions.MaxConcurrent)}) " +
                "one is kept for training submits and version registrations.");
            return;
        }
        if (!_slots.Wait(0))
        {
            sized?.Release();
            await RefuseAsync(context,
                $"At most {_options.MaxConcurrent} large requests (training submits, version registrations, forecast, classification, " +
                $"inference and stream bodies over {_options.ForecastBodyBytes} bytes, of unknown length or compressed, weights exports in torch's format) run at once ({HeavyRequestOptions.Section}:{nameof(HeavyRequestOptions.MaxConcurrent)}).");
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
            sized?.Release();
        }
    }

    /// <summary>The 503 a refused heavy request gets, counted apart from server errors.</summary>
    private Task RefuseAsync(HttpContext context, string why)
    {
        _metrics.HeavyRequestsRefused.Inc();
        RequestLog.MarkBackpressure(context);
        context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return context.WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Too many heavy requests",
            $"{why} Retry after {_options.RetryAfterSeconds} seconds.");
    }

    /// <summary>Null for a light request; else whether it is heavy always (a training submit, a registration) rather than by its body's size.</summary>
    private bool? Heaviness(HttpContext context)
    {
        var heavy = context.GetEndpoint()?.Metadata.GetMetadata<HeavyRequestMetadata>();
        if (heavy is null) return null;
        if (heavy.Always) return true;
        if (heavy.When is { } when) return when(context.Request) ? false : null;
        // A body of unknown length (chunked) may be as large as the body limit allows; so may a compressed one, read decompressed.
        return context.Request.ContentLength is not { } length || length > _options.ForecastBodyBytes || RequestEncodings.IsCompressed(context) ? false : null;
    }
}

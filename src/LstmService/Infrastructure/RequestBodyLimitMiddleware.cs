using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Answers 413 for a body over <see cref="RequestLimitsOptions.MaxBodyBytes"/>: up front from Content-Length, and while
/// reading for bodies of unknown length on hosts (such as the test server) that do not enforce Kestrel's limit.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            ApiKeyAuthenticationHandler.NameInLog(context);
            await context.WriteProblemAsync(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes (RequestLimits:MaxBodyBytes).");
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = limit;
        else if (sizeFeature is null && context.Request.ContentLength is null && context.Request.Body != Stream.Null)
            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);

        await next(context);
    }
}

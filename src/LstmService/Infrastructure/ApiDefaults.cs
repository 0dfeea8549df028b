using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

public static class ApiDefaults
{
    /// <summary>camelCase JSON with string enums, ProblemDetails for every error, one combined log event per request.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddSingleton<UnmatchedRequestProblems>();
        // Binding failures (malformed JSON, "NaN" where a number is expected, a bad query value) throw, so the
        // exception handler can answer a 400 ProblemDetails naming the field instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        builder.Services.AddHttpLogging(o =>
        {
            o.CombineLogs = true;
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
        });

        // Kestrel enforces the body limit while reading; RequestBodyLimitMiddleware covers hosts without that feature.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<RequestLimitsOptions>>((k, limits) => k.Limits.MaxRequestBodySize = limits.Value.MaxBodyBytes);
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Numbers are JSON numbers only (the web default also accepts "24" as a string), which keeps the OpenAPI schemas plain.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Answers without a body (no endpoint for the path, the method or the content type) say what was asked and what is taken.
        var unmatched = app.Services.GetRequiredService<UnmatchedRequestProblems>();
        app.UseStatusCodePages(unmatched.WriteAsync);
        app.UseHttpLogging();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }
}

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

/// <summary>A read-only body wrapper that throws a 413 <see cref="Microsoft.AspNetCore.Http.BadHttpRequestException"/> once more than the limit was read.</summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > limit)
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException($"The request body exceeds the limit of {limit} bytes (RequestLimits:MaxBodyBytes).", StatusCodes.Status413PayloadTooLarge);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

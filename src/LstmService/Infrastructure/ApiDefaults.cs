using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

public static class ApiDefaults
{
    /// <summary>The members of every error answer (RFC 9457), with the service's own use of each.</summary>
    private static readonly Dictionary<string, string> ProblemFields = new()
    {
        ["type"] = "A URI naming the problem type: the RFC section of the status (RFC 9110's, RFC 6585's for 429); left out for a status without one.",
        ["title"] = "A short summary of the problem type, the same for every occurrence (\"One or more validation errors occurred.\", \"Stream not found\").",
        ["status"] = "The HTTP status code, the response's own.",
        ["detail"] = "What went wrong with this request and what to do about it; left out where the title or errors say it.",
        ["instance"] = "A URI naming this occurrence; the service leaves it out (the traceId member names the request in its logs).",
        ["errors"] = "Per bad field (its JSON path: horizon, series[0].history), the messages saying what to fix.",
    };

    /// <summary>camelCase JSON with string enums, ProblemDetails for every error, one log event per request (<see cref="LoggingExtensions.UseRequestLogging"/>).</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            ConfigureJson(o.SerializerOptions);
            // A request's key that its type does not have is refused with its path, in nested objects too (an exported stream
            // state's parts), not only in the request types that say so: a misspelt or tampered key would be dropped silently.
            // Requests only: the stored records read with ConfigureJson's options may hold keys an earlier version wrote.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });

        // Kestrel's own 413 (a chunked body over the limit, found while reading) reaches the client as a bare "Content Too
        // Large": every 413 without a detail says which setting bounds the body.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                c.ProblemDetails.Detail ??= $"The request body exceeds the limit of {c.HttpContext.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxBodyBytes} bytes (RequestLimits:MaxBodyBytes).";
                // One title for every 413, whichever layer found the body too large (Kestrel's own said "Content Too Large").
                c.ProblemDetails.Title = "Request body too large";
            }
            // ASP.NET Core's table of type links has no 429; every other answer of the service carries one.
            if (c.ProblemDetails.Status == StatusCodes.Status429TooManyRequests && c.ProblemDetails.Type is null)
                c.ProblemDetails.Type = "https://tools.ietf.org/html/rfc6585#section-4";
            // The pipeline's answers on the Open Inference Protocol's paths (401, 413, 415, 429, 503...) also carry the
            // protocol's "error" member, which its clients read, beside the ProblemDetails every other client reads.
            if (c.HttpContext.Request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase))
                c.ProblemDetails.Extensions["error"] = c.ProblemDetails.Detail ?? c.ProblemDetails.Title;
        });
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemDetailsWriter>(); // after the framework's: a fallback
        builder.Services.AddPropertyDescriptions<Microsoft.AspNetCore.Mvc.ProblemDetails>(ProblemFields)
            .AddSchemaDescription<Microsoft.AspNetCore.Mvc.ProblemDetails>("An error (RFC 9457): what went wrong (title, detail), its status and the request's traceId.")
            .AddSchemaDescription<HttpValidationProblemDetails>("A refused request (RFC 9457): every bad field named in errors, each with what it must be.");
        HostNameFilter.Register(builder.Services);
        builder.Services.AddRequestDecompression();
        builder.Services.AddHostedService<ListeningAddressCheck>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<StorageFullExceptionHandler>(); // before the outage's: PostgreSQL's disk_full is of its class
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<StoppingExceptionHandler>();
        builder.Services.AddSingleton<UnmatchedRequestProblems>();
        // Binding failures (malformed JSON, "NaN" where a number is expected, a bad query value) throw, so the
        // exception handler can answer a 400 ProblemDetails naming the field instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Kestrel enforces the body limit while reading; RequestBodyLimitMiddleware covers hosts without that feature.
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<RequestLimitsOptions>>((k, limits) =>
            {
                if (limits.ValidOrNull() is { } valid) k.Limits.MaxRequestBodySize = valid.MaxBodyBytes;
                k.AddServerHeader = false; // "Server: Kestrel" tells a scanner what to try and a client nothing
            });
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Numbers are JSON numbers only (the web default also accepts "24" as a string), which keeps the OpenAPI schemas plain.
        options.NumberHandling = JsonNumberHandling.Strict;
        // A key given twice would otherwise have its last value win silently ("horizon": 2, "horizon": 3 trains with 3); this
        // covers the source-generated contexts in the resolver chain, dictionaries (covariates) and JsonElement fields too.
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new NullableDoubleListConverter());
    }

    /// <summary>
    /// What wraps every request, the HTTP metrics (<see cref="MetricsExtensions.UseServiceMetrics"/>) included, which come
    /// next: the client's address, the request log, the security headers, the bodies of answers without one, and the 501 for
    /// a made-up method (before the metrics, which label requests by method).
    /// </summary>
    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        // Before everything that reads the client's address (the request log, the rate limits' partitions): behind a trusted
        // proxy, the address it forwards.
        app.UseTrustedProxies();
        // Outermost, so its one event per request carries the status the client got (a bad body's 400, not the exception).
        app.UseRequestLogging();
        // Every answer: no content sniffing, and no page of the service (the dashboard, Swagger UI) inside another site's frame.
        // Set as the answer starts: the exception handler clears the headers of the answer it replaces.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        // Answers without a body (no endpoint for the path, the method or the content type) say what was asked and what is taken.
        var unmatched = app.Services.GetRequiredService<UnmatchedRequestProblems>();
        app.UseStatusCodePages(unmatched.WriteAsync);
        app.Use(UnmatchedRequestProblems.RefuseUnknownMethods);
        return app;
    }

    /// <summary>
    /// Inside the HTTP metrics, so they count the status each of these answers with (they had counted an exception's 400 or
    /// 503 as the 200 the response held while it was thrown, and a refused host, body size or encoding not at all): the
    /// exception handler, the host names, the body's size and its encoding.
    /// </summary>
    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        // The exception handler clears the request's endpoint and route values before it answers: put back, so the metrics and
        // the request log name the route and model whose request failed (its 400 had been counted under no endpoint at all).
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.GetEndpoint() is not null || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not { } failed) return;
            context.SetEndpoint(failed.Endpoint);
            if (failed.RouteValues is { } values) foreach (var (key, value) in values) context.Request.RouteValues[key] = value;
        });
        app.UseExceptionHandler();
        app.UseMiddleware<HostNameFilter>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        // After the body limit, which the decompression then applies to the decompressed bytes (RequestEncodings).
        app.Use(RequestEncodings.RefuseUnsupported);
        app.UseRequestDecompression();
        return app;
    }

    /// <summary>
    /// Reads <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the proxies <see cref="TrustedProxyOptions"/> names, and
    /// from no one else (a client could set them to pass as anyone): each hop from the right, up to the first address not
    /// trusted. Nothing when none is named.
    /// </summary>
    static void UseTrustedProxies(this WebApplication app)
    {
        // Invalid, it is left to the start's validation, which refuses it in one line naming the entry (read here, it had thrown first).
        if (app.Services.GetRequiredService<IOptions<TrustedProxyOptions>>().ValidOrNull() is not { Any: true } trusted) return;
        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        // The framework trusts loopback by default: only what the operator named is.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var address in trusted.Addresses) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
        foreach (var network in trusted.Networks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        app.UseForwardedHeaders(forwarded);
    }

    /// <summary>
    /// Refuses query parameters an endpoint does not read (<see cref="QueryParameterCheck"/>) and reads a JSON body's charset
    /// (<see cref="RequestCharsets"/>); after authentication and the rate limits, so that a caller without a key is told that first.
    /// </summary>
    public static WebApplication UseRequestChecks(this WebApplication app)
    {
        app.Use(QueryParameterCheck.Refuse);
        app.Use(RequestCharsets.Normalize);
        return app;
    }

    /// <summary>HEAD for every GET endpoint (see <see cref="HeadEndpointDataSource"/>); called after every endpoint is mapped.</summary>
    public static WebApplication MapHeadRequests(this WebApplication app)
    {
        HeadEndpointDataSource.Install(app);
        return app;
    }
}

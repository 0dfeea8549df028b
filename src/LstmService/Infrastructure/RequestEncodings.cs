namespace LstmService.Infrastructure;

/// <summary>
/// Request bodies compressed with gzip, br or deflate (Content-Encoding) are read decompressed (ASP.NET Core's request
/// decompression), a large training upload often compressing tenfold; RequestLimits:MaxBodyBytes bounds the decompressed
/// bytes. Any other encoding answers 415 naming those taken: the compressed bytes had reached the JSON reader, which
/// answered "'0x1F' is an invalid start of a value".
/// </summary>
public static class RequestEncodings
{
    public static readonly string[] Supported = ["gzip", "br", "deflate"];

    private static readonly object CompressedKey = new();

    /// <summary>
    /// Whether the request's body came compressed. The decompression removes the Content-Encoding header, so this mark is
    /// what later middleware (the heavy-request limit: a small compressed body may inflate to the body limit) reads.
    /// </summary>
    public static bool IsCompressed(HttpContext context) => context.Items.ContainsKey(CompressedKey);

    /// <summary>The coding a compressed request's body was sent in (gzip, br, deflate), or null.</summary>
    public static string? Coding(HttpContext context) => context.Items.TryGetValue(CompressedKey, out var coding) ? coding as string : null;

    public static Task RefuseUnsupported(HttpContext context, Func<Task> next)
    {
        var encodings = context.Request.Headers.ContentEncoding;
        // A request without a body (a probe, a GET, a bodiless cancel) has nothing encoded: a stray header refuses nothing.
        if (encodings.Count == 0 || context.Request.ContentLength == 0
            || context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
            return next();
        var given = encodings.SelectMany(e => (e ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (given.Count == 0) return next(); // an empty header names no coding
        // One coding (gzip, not "gzip, br": the decompression reads one) of those taken; identity means none.
        if (given.Count == 1 && string.Equals(given[0], "identity", StringComparison.OrdinalIgnoreCase)) return next();
        if (given.Count == 1 && Supported.Contains(given[0], StringComparer.OrdinalIgnoreCase))
        {
            context.Items[CompressedKey] = given[0].ToLowerInvariant();
            return next();
        }
        ApiKeyAuthenticationHandler.NameInLog(context);
        return context.WriteProblemAsync(StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Encoding",
            $"The body's Content-Encoding '{string.Join(", ", given)}' is not taken: send it uncompressed, or compressed with one of {string.Join(", ", Supported)}.");
    }
}

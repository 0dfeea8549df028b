using System.Text;
using Microsoft.Net.Http.Headers;

namespace LstmService.Infrastructure;

/// <summary>
/// The charset of a JSON body's Content-Type, made readable before the JSON binder sees it. RFC 9110 lets a parameter be
/// quoted (charset="utf-8"), which the binder looks up with its quotes and does not find, and it answered any charset it
/// did not know (windows-1252, a typo) with a 500 and a stack trace. A quoted charset is unquoted and the common "utf8"
/// read as UTF-8; one this service cannot decode answers 415 naming it.
/// </summary>
public static class RequestCharsets
{
    public static Task Normalize(HttpContext context, Func<Task> next)
    {
        var header = context.Request.ContentType;
        // Most bodies name no charset or UTF-8 as .NET's and most clients write it: a search, no parse, on the forecast's hot path.
        if (header is null || !header.Contains("charset", StringComparison.OrdinalIgnoreCase)
            || header.Equals("application/json; charset=utf-8", StringComparison.OrdinalIgnoreCase)) return next();
        // A request without a body (a GET, a probe) has no text to decode, whatever its header says.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }) return next();
        if (!MediaTypeHeaderValue.TryParse(header, out var type) || !IsJson(type)) return next();
        var charset = type.Parameters.FirstOrDefault(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase));
        if (charset is null) return next();
        var name = HeaderUtilities.RemoveQuotes(charset.Value).ToString().Trim();
        if (name.Equals("utf8", StringComparison.OrdinalIgnoreCase)) name = "utf-8";
        if (!IsKnown(name))
            return context.WriteProblemAsync(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The Content-Type's charset '{name}' is not one this service decodes: send the JSON as UTF-8 (charset=utf-8, or no charset).");
        if (charset.Value.ToString() != name)
        {
            charset.Value = name;
            context.Request.ContentType = type.ToString();
        }
        return next();
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the framework's JSON reading finds an encoding by this name (it asks <see cref="Encoding.GetEncoding(string)"/>).</summary>
    private static bool IsKnown(string name)
    {
        if (name.Length == 0) return false;
        try { return Encoding.GetEncoding(name) is not null; }
        catch (ArgumentException) { return false; }
        catch (NotSupportedException) { return false; } // UTF-7, which .NET no longer decodes
    }
}

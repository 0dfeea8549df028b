using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Authenticates the key in <c>X-Api-Key</c> or <c>Authorization: Bearer</c>. With no key configured every caller is let
/// in with both roles (the open mode), so endpoints declare the same policies either way. 401 and 403 are ProblemDetails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>The claim that marks the open mode's caller, whom rate limits tell apart by address instead of by key.</summary>
    public const string OpenClaim = "lstm:open";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.Enabled)
            return Task.FromResult(Success("anonymous", [ApiRoles.Read, ApiRoles.Write], open: true));

        var presented = PresentedKey(Request);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Find(presented) is not { } key)
        {
            // Logged, not told to the caller: the value is the operator's mistake, and a hash is no key to confirm to anyone.
            if (keys.PastedInPlaceOfItsHash(presented) is { } setting)
                Logger.LogWarning("A request's API key is the value of {Setting}: the key itself was configured in place of its SHA-256 hash, so it is refused. " +
                                  "Configure the hash (printf %s \"$KEY\" | sha256sum) there instead", setting);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        // Which client did what, in the request's log event: the key's configured name, never the key or its hash.
        RequestLog.Set(Context, "ApiKey", key.Name);
        // A write key may also read: it carries both roles, so each policy asks for one role only.
        return Task.FromResult(Success(key.Name, key.Role == ApiRoles.Write ? [ApiRoles.Read, ApiRoles.Write] : [ApiRoles.Read], open: false));
    }

    private AuthenticateResult Success(string name, string[] roles, bool open) =>
        AuthenticateResult.Success(new AuthenticationTicket(keys.Principal(name, roles, open), SchemeName));

    /// <summary>
    /// Names the caller's key, when it is a valid one, in the request's log event: for answers given before authentication
    /// runs (a body over the limit by its Content-Length, an encoding or content type not taken), which had been logged
    /// without it, so an operator could not tell which client sent them.
    /// </summary>
    public static void NameInLog(HttpContext context)
    {
        if (PresentedKey(context.Request) is { } presented && context.RequestServices.GetService<ApiKeyStore>() is { Enabled: true } keys
            && keys.Find(presented) is { } key)
            RequestLog.Set(context, "ApiKey", key.Name);
    }

    /// <summary>The key from X-Api-Key, else from Authorization: Bearer; null when neither is sent.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[HeaderName] is { Count: > 0 } header && !string.IsNullOrEmpty(header[0])) return header[0];
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > bearer.Length
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = $"Bearer, {SchemeName} header=\"{HeaderName}\"";
        bool invalid = result.Failure is not null;
        await Write(StatusCodes.Status401Unauthorized, invalid ? "Invalid API key" : "API key required", invalid
            ? $"The API key sent is not valid. Send a valid key in the {HeaderName} header or as Authorization: Bearer <key>."
            : $"Send an API key in the {HeaderName} header or as Authorization: Bearer <key>.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // Two keys sent: the one in X-Api-Key is the one read, which a caller holding a write key in the other header would not guess.
        var both = Request.Headers[HeaderName] is { Count: > 0 } && Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? $" Two keys were sent: the one in {HeaderName} is read, and Authorization: Bearer is ignored." : "";
        await Write(StatusCodes.Status403Forbidden, "API key lacks the role",
            $"This API key has the '{ApiRoles.Read}' role; {Request.Method} {Request.Path} needs a key with the '{ApiRoles.Write}' role.{both}");
    }

    private Task Write(int status, string title, string detail) => Context.WriteProblemAsync(status, title, detail);
}

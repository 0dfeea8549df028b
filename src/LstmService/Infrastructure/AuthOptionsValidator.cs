using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Checks Auth:ApiKeys at start: each hash is 64 hex digits and each role read or write. Messages name the setting but
/// never echo its value, since a mistake here is often a raw key pasted in place of its hash.
/// </summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var path = $"{AuthOptions.Section}:ApiKeys:{i}";
            if (!ApiKeyStore.IsSha256Hex(key.Sha256))
                failures.Add($"{path}:Sha256 must be the 64 hex digits of the key's SHA-256 hash (printf %s \"$KEY\" | sha256sum); " +
                    $"it has {key.Sha256?.Length ?? 0} characters{(key.Sha256 is { Length: 64 } ? " that are not all hex digits" : "")}.");
            else if (!seen.Add(key.Sha256!))
                failures.Add($"{path}:Sha256 repeats an earlier key's hash; give each key once.");
            if (!ApiRoles.IsValid(key.Role))
                failures.Add($"{path}:Role must be '{ApiRoles.Read}' or '{ApiRoles.Write}'.");
        }
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
            if (!CrossSiteRequestMiddleware.IsOrigin(options.AllowedOrigins[i]))
                failures.Add($"{AuthOptions.Section}:AllowedOrigins:{i} must be an origin such as https://app.example.com (scheme, host and optional port, nothing more).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

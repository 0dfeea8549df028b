using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Checks Auth:ApiKeys at start: each hash is 64 hex digits, each role read or write, and a key's own rate limits are in
/// the RateLimits section's ranges and agree with those of an earlier key of the same name (the two share a partition).
/// Messages name the setting but never echo a hash, since a mistake there is often a raw key pasted in place of its hash.
/// </summary>
public sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    /// <summary>
    /// The SHA-256 of nothing: a key hashed from an unset variable. It had passed as a key no client can send, and with it
    /// the only key every request answered 401 without a word in the log (a QA pass).
    /// </summary>
    internal const string EmptyKeySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        // The binder drops a list element it cannot read (ForecastPermits=lots) without a word: read the raw settings first,
        // or a service with one key would start open, and the later keys' settings be named by shifted indexes.
        // An entry whose name is no number is named by ConfigurationKeyValidator; the binder took it as entry 0 (or the next),
        // so checking the bound keys would name settings that were never given (Auth:ApiKeys:0:Sha256 for Auth:ApiKeys:first:Sha256).
        if (configuration.GetSection($"{AuthOptions.Section}:ApiKeys").GetChildren().Any(k => !ConfigurationKeyValidator<AuthOptions>.IsListIndex(k.Key)))
            return ValidateOptionsResult.Skip;
        if (UnreadableKeys(options.ApiKeys.Count) is { Count: > 0 } unreadable) return ValidateOptionsResult.Fail(unreadable);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var named = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var path = AuthOptions.KeyPath(configuration, i);
            if (!ApiKeyStore.IsSha256Hex(key.Sha256))
                failures.Add($"{path}:Sha256 must be the 64 hex digits of the key's SHA-256 hash (printf %s \"$KEY\" | sha256sum); " +
                    $"it has {key.Sha256?.Length ?? 0} characters{(key.Sha256 is { Length: 64 } ? " that are not all hex digits" : "")}.");
            else if (string.Equals(key.Sha256, EmptyKeySha256, StringComparison.OrdinalIgnoreCase))
                failures.Add($"{path}:Sha256 is the hash of an empty key, which no client can send: was the key's variable unset when it was hashed? " +
                    "(printf %s \"$KEY\" | sha256sum gives this hash in a shell without KEY)");
            else if (!seen.Add(key.Sha256!))
                failures.Add($"{path}:Sha256 repeats an earlier key's hash; give each key once.");
            if (!ApiRoles.IsValid(key.Role))
                // The value read, quoted and its control characters escaped (a role is no secret): a space or a carriage return
                // from an env file had looked like 'write', and a raw \r would have overwritten the line on a terminal.
                failures.Add($"{path}:Role must be '{ApiRoles.Read}' or '{ApiRoles.Write}'" + (key.Role is null ? "." : $" (it is '{SettingText.Escaped(key.Role)}')."));
            foreach (var limit in RateLimitOptions.KeyLimits)
            {
                var max = RateLimitOptions.MaxPermits(limit);
                if (key.OwnPermits(limit) is { } permits && (permits < 0 || permits > max))
                    failures.Add($"{path}:{limit} must be from 0 (no limit for this key) to {max}, as {RateLimitOptions.Section}:{limit} is; it is {permits}.");
            }
            if (!ApiKeyStore.IsSha256Hex(key.Sha256)) continue; // named above; its default name needs a hash
            var keyName = ApiKeyStore.NameOf(key);
            if (!named.TryAdd(keyName, i) && RateLimitOptions.KeyLimits.FirstOrDefault(l => options.ApiKeys[named[keyName]].OwnPermits(l) != key.OwnPermits(l)) is { } differs)
                failures.Add($"{path}:{differs} differs from {AuthOptions.KeyPath(configuration, named[keyName])}:{differs}: keys of one name ('{keyName}') share their rate limits, so give both the same.");
        }
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
            if (!CrossSiteRequestMiddleware.IsOrigin(options.AllowedOrigins[i]))
                failures.Add($"{AuthOptions.Section}:AllowedOrigins:{i} must be an origin such as https://app.example.com (scheme, host and optional port, nothing more).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// The per-key limits that are not whole numbers, numbered entries that are one value instead of a key's settings, and
    /// keys the binder skipped for any other reason. An entry whose name is no number is left to <see cref="ConfigurationKeyValidator{T}"/>,
    /// which names it; counting it here had added a second, puzzling line ("holds 1 keys but 0 could be read").
    /// </summary>
    private List<string> UnreadableKeys(int bound)
    {
        var failures = new List<string>();
        var keys = configuration.GetSection($"{AuthOptions.Section}:ApiKeys").GetChildren().ToList();
        var sections = 0;
        foreach (var key in keys)
        {
            bool isSection = key.GetChildren().Any();
            if (isSection) sections++;
            else if (ConfigurationKeyValidator<AuthOptions>.IsListIndex(key.Key))
                failures.Add($"{key.Path} is one value, but a key is settings under it: {key.Path}:Sha256, {key.Path}:Role and, optionally, {key.Path}:Name and limits.");
            foreach (var limit in RateLimitOptions.KeyLimits)
                if (key[limit] is { } raw && !int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
                    failures.Add($"{key.Path}:{limit} must be a whole number from 0 (no limit for this key) to {RateLimitOptions.MaxPermits(limit)}.");
        }
        if (failures.Count == 0 && sections != bound)
            failures.Add($"{AuthOptions.Section}:ApiKeys holds {sections} {(sections == 1 ? "key" : "keys")} but {bound} could be read: give each a Sha256, a Role and, optionally, a Name and whole-number limits.");
        return failures;
    }
}

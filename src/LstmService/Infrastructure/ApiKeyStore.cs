using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>The configured keys by hash. A presented key is hashed and looked up, so the configuration never holds a usable key.</summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, (string Name, string Role)> _byHash = new(StringComparer.Ordinal);
    // Keys that share a name share a rate-limit partition, so their limits agree (AuthOptionsValidator): the first one's serve.
    private readonly Dictionary<string, (ApiKeyEntry Key, string Path)> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, bool Write, bool Open), ClaimsPrincipal> _principals = new();

    public ApiKeyStore(IOptions<AuthOptions> options, IConfiguration configuration)
    {
        var keys = options.Value.ApiKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            var name = NameOf(keys[i]);
            _byHash[keys[i].Sha256!.ToLowerInvariant()] = (name, ApiRoles.Normalize(keys[i].Role)!);
            _byName.TryAdd(name, (keys[i], AuthOptions.KeyPath(configuration, i)));
        }
    }

    /// <summary>The name a key's callers are known by: its Name, or "key-" and its hash's first 8 digits.</summary>
    public static string NameOf(ApiKeyEntry key) =>
        string.IsNullOrWhiteSpace(key.Name) ? $"key-{key.Sha256!.ToLowerInvariant()[..8]}" : key.Name;

    /// <summary>
    /// The permits a key's callers have of a limit named as in <see cref="RateLimitOptions"/> and the setting that gives them:
    /// its own Auth:ApiKeys:N:&lt;limit&gt; when set, else null (the RateLimits section's apply).
    /// </summary>
    public (int Permits, string Setting)? OwnLimit(string name, string limit) =>
        _byName.TryGetValue(name, out var k) && k.Key.OwnPermits(limit) is { } permits
            ? (permits, $"{k.Path}:{limit}")
            : null;

    /// <summary>Whether some key has its own permits of this limit.</summary>
    public bool AnyOwnLimit(string limit) => _byName.Values.Any(k => k.Key.OwnPermits(limit) is not null);

    /// <summary>False when no key is configured: the service is open.</summary>
    public bool Enabled => _byHash.Count > 0;

    /// <summary>
    /// The key's name and role, or null. The lookup compares hashes, not keys: learning how much of a hash matched tells an
    /// attacker nothing about a key, so an ordinary dictionary lookup needs no constant-time comparison.
    /// </summary>
    public (string Name, string Role)? Find(string presented)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        return _byHash.TryGetValue(hash, out var key) ? key : null;
    }

    /// <summary>
    /// The setting of a key configured as its own hash (the key itself pasted where its SHA-256 belongs: a key made with
    /// <c>openssl rand -hex 32</c> has the hash's form) when <paramref name="presented"/> is that value, the first time it
    /// is sent; else null. Every request with it answered 401 "Invalid API key" and nothing told the operator why.
    /// </summary>
    public string? PastedInPlaceOfItsHash(string presented)
    {
        if (!IsSha256Hex(presented) || !_byHash.TryGetValue(presented.ToLowerInvariant(), out var key)) return null;
        if (!_pastedReported.TryAdd(presented.ToLowerInvariant(), true)) return null;
        return _byName.TryGetValue(key.Name, out var k) ? $"{k.Path}:{nameof(ApiKeyEntry.Sha256)}" : $"{AuthOptions.Section}:ApiKeys";
    }

    private readonly ConcurrentDictionary<string, bool> _pastedReported = new(StringComparer.Ordinal);

    /// <summary>
    /// The principal of a configured key (or of the open mode's caller), built on first use and shared by every request
    /// after, since nothing here changes a principal after sign-in: at most one per configured key, so a flood of bad keys
    /// cannot grow it. Keyed by name and role together: two keys may share a name (a deployment's "ci") with different roles.
    /// </summary>
    public ClaimsPrincipal Principal(string name, string[] roles, bool open) =>
        _principals.GetOrAdd((name, roles.Contains(ApiRoles.Write), open), static (key, roles) =>
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, key.Name) };
            claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
            if (key.Open) claims.Add(new Claim(ApiKeyAuthenticationHandler.OpenClaim, "true"));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName));
        }, roles);

    public static bool IsSha256Hex(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);
}

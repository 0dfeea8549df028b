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
    private readonly ConcurrentDictionary<(string Name, bool Write, bool Open), ClaimsPrincipal> _principals = new();

    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        foreach (var key in options.Value.ApiKeys)
        {
            var hash = key.Sha256!.ToLowerInvariant();
            _byHash[hash] = (string.IsNullOrWhiteSpace(key.Name) ? $"key-{hash[..8]}" : key.Name, key.Role!);
        }
    }

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

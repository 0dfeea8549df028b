using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>The configured keys by hash. A presented key is hashed and looked up, so the configuration never holds a usable key.</summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, (string Name, string Role)> _byHash = new(StringComparer.Ordinal);

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

    public static bool IsSha256Hex(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);
}

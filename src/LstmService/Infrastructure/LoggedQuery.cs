using System.Buffers;

namespace LstmService.Infrastructure;

/// <summary>
/// A request's query string as the request log writes it: the value of a parameter whose name says it is a credential
/// (api_key, token, secret, password, signature, ...) becomes "***". The service takes keys only in headers, but a client
/// that puts one in the URL should not find it in the logs; every other query is written as it came, without copying.
/// </summary>
public static class LoggedQuery
{
    // One vectorised search per logged query (every request that has one), not a pass per word.
    private static readonly SearchValues<string> SecretWords =
        SearchValues.Create(["key", "token", "secret", "password", "passwd", "signature", "auth", "credential"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a query parameter's name says it holds a credential.</summary>
    public static bool IsSecretName(string name) => name.AsSpan().ContainsAny(SecretWords);

    public static string Redact(string query)
    {
        if (!query.AsSpan().ContainsAny(SecretWords)) return query;
        var start = query.StartsWith('?') ? 1 : 0;
        var parts = query[start..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? parts[i] : parts[i][..equals]);
            if (equals >= 0 && name.AsSpan().ContainsAny(SecretWords))
                parts[i] = parts[i][..(equals + 1)] + "***";
        }
        return (start == 1 ? "?" : "") + string.Join('&', parts);
    }
}

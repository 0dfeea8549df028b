namespace LstmService.Infrastructure;

/// <summary>One configured API key: Auth:ApiKeys:N:Sha256, :Role and optionally :Name.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes: <c>printf %s "$KEY" | sha256sum</c>.</summary>
    public string? Sha256 { get; set; }

    /// <summary><c>read</c> (GET endpoints and forecasts) or <c>write</c> (everything read may do, plus training, registering, aliases, deletes).</summary>
    public string? Role { get; set; }

    /// <summary>Who holds the key, for logs and rate-limit partitions; defaults to "key-" and the hash's first 8 digits.</summary>
    public string? Name { get; set; }
}

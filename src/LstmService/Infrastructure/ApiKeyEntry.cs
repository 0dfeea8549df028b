namespace LstmService.Infrastructure;

/// <summary>
/// One configured API key: Auth:ApiKeys:N:Sha256, :Role and optionally :Name and the key's own rate limits, which replace
/// the RateLimits section's for its callers (a partner's key allowed more forecasts, a trial key fewer; 0 switches a limit
/// off for the key). The windows stay the section's.
/// </summary>
public sealed class ApiKeyEntry
{
    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes: <c>printf %s "$KEY" | sha256sum</c>.</summary>
    public string? Sha256 { get; set; }

    /// <summary><c>read</c> (GET endpoints and forecasts) or <c>write</c> (everything read may do, plus training, registering, aliases, deletes).</summary>
    public string? Role { get; set; }

    /// <summary>Who holds the key, for logs and rate-limit partitions; defaults to "key-" and the hash's first 8 digits.</summary>
    public string? Name { get; set; }

    /// <summary>In place of <see cref="RateLimitOptions.ForecastPermits"/> for this key.</summary>
    public int? ForecastPermits { get; set; }

    /// <summary>In place of <see cref="RateLimitOptions.ForecastPointPermits"/> for this key.</summary>
    public int? ForecastPointPermits { get; set; }

    /// <summary>In place of <see cref="RateLimitOptions.TrainingSubmitPermits"/> for this key.</summary>
    public int? TrainingSubmitPermits { get; set; }

    /// <summary>The key's own permits of one of <see cref="RateLimitOptions.KeyLimits"/>, or null to use the section's.</summary>
    public int? OwnPermits(string limit) => RateLimitOptions.KeyLimits.Contains(limit)
        ? (int?)typeof(ApiKeyEntry).GetProperty(limit)!.GetValue(this)
        : throw new ArgumentOutOfRangeException(nameof(limit), limit, "Not a rate limit.");
}

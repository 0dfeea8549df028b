namespace LstmService.Infrastructure;

/// <summary>
/// API keys and browser rules. Section "Auth". With no key the service is open (every caller has both roles) and logs a
/// warning at start; with keys, every endpoint but health and the API documentation needs one.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The accepted keys, each stored as its SHA-256 hash (never the key itself) with a role.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>
    /// Origins (scheme://host[:port]) of web pages besides the service's own that may send state-changing requests, for a
    /// browser front end on another host. Empty: only pages served from the service's own host (Swagger UI) may.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The configuration path of bound key <paramref name="index"/> (Auth:ApiKeys:2 for the second key of entries 0 and 2):
    /// the binder closes gaps in the numbering, which are usual once a key has been taken out of a secret, and a message
    /// naming the closed-up index would point at a setting that was never given. The binder reads the entries in the order
    /// <see cref="IConfiguration.GetChildren"/> gives them (numbers in numeric order), as this does.
    /// </summary>
    public static string KeyPath(IConfiguration configuration, int index) =>
        configuration.GetSection($"{Section}:ApiKeys").GetChildren().Where(k => k.GetChildren().Any()).ElementAtOrDefault(index)?.Path
        ?? $"{Section}:ApiKeys:{index}";
}

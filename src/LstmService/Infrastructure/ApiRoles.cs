namespace LstmService.Infrastructure;

/// <summary>The two roles an API key can have, which are also the names of the authorisation policies endpoints require.</summary>
public static class ApiRoles
{
    /// <summary>GET endpoints and forecasts.</summary>
    public const string Read = "read";

    /// <summary>Training, registering, aliases, cancels and deletes; a write key may also read.</summary>
    public const string Write = "write";

    /// <summary>The role as configured, in either case ("Write" as Logs:Format takes "JSON"); null for none.</summary>
    public static string? Normalize(string? role) => role?.ToLowerInvariant();

    public static bool IsValid(string? role) => Normalize(role) is Read or Write;
}

namespace LstmService.Infrastructure;

/// <summary>The two roles an API key can have, which are also the names of the authorisation policies endpoints require.</summary>
public static class ApiRoles
{
    /// <summary>GET endpoints and forecasts.</summary>
    public const string Read = "read";

    /// <summary>Training, registering, aliases, cancels and deletes; a write key may also read.</summary>
    public const string Write = "write";

    public static bool IsValid(string? role) => role is Read or Write;
}

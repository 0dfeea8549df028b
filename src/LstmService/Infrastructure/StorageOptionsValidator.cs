using Microsoft.Extensions.Options;
using Npgsql;

namespace LstmService.Infrastructure;

/// <summary>
/// Checks Storage at start: a known provider, and for PostgreSQL a connection string that parses and names a host. The
/// messages never echo the connection string (it may hold a password).
/// </summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var provider = options.Provider?.Trim() ?? "";
        if (!string.Equals(provider, StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase) && !options.IsPostgres)
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.Section}:Provider must be '{StorageOptions.Sqlite}' (the default, one process) or '{StorageOptions.Postgres}' (replicas on a shared database).");
        if (!options.IsPostgres) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is required when {StorageOptions.Section}:Provider is '{StorageOptions.Postgres}'.");
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
                return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString names no Host.");
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is not a valid Npgsql connection string: {e.GetType().Name}.");
        }
        return ValidateOptionsResult.Success;
    }
}

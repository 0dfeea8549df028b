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
                $"{StorageOptions.Section}:Provider must be '{StorageOptions.Sqlite}' (the default, one process) or '{StorageOptions.Postgres}' (replicas on a shared database){ProviderEcho(options.Provider)}.");
        // A connection string with the default provider would be ignored: each replica behind a balancer would then keep a
        // registry of its own in a local SQLite file, without a word.
        if (!options.IsPostgres && !string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is set but {StorageOptions.Section}:Provider is '{StorageOptions.Sqlite}', " +
                $"which does not read it: set {StorageOptions.Section}:Provider to '{StorageOptions.Postgres}' to use that database, or remove the connection string.");
        if (!options.IsPostgres) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is required when {StorageOptions.Section}:Provider is '{StorageOptions.Postgres}'.");
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
                return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString names no Host.");
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is not a valid Npgsql connection string: {Culprit(options.ConnectionString)}.");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>
    /// Which part of a connection string Npgsql refuses, by its keyword: the string holds a password, so neither it nor
    /// Npgsql's own message (which may quote a value) is repeated.
    /// </summary>
    internal static string Culprit(string connectionString)
    {
        // The generic builder splits keyword=value pairs as Npgsql does, quotes included (a quoted password may hold ';').
        var parts = new System.Data.Common.DbConnectionStringBuilder();
        try { parts.ConnectionString = connectionString; }
        catch (ArgumentException) { return "it is not a list of keyword=value pairs (an unclosed quote, or a part without '=')"; }
        var probe = new NpgsqlConnectionStringBuilder();
        foreach (string keyword in parts.Keys)
        {
            // "a;b=1" reads as the keyword "a;b": a part without '=', which may be a password's fragment, so not shown.
            if (keyword.Contains(';')) return "a part is not keyword=value (not shown)";
            if (!probe.ContainsKey(keyword)) return $"'{keyword}' is no keyword Npgsql knows";
            try { probe[keyword] = parts[keyword]; }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidCastException) { return $"the value of '{keyword}' is not one Npgsql takes (not shown)"; }
        }
        return "Npgsql cannot read it";
    }

    /// <summary>
    /// The refused provider quoted where it is a word (" (it is 'mongo')"), and nothing otherwise: a connection string
    /// pasted into Storage:Provider by mistake would have put its password in the log.
    /// </summary>
    private static string ProviderEcho(string? provider) =>
        provider is { Length: > 0 and <= 20 } word && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $" (it is '{word}')" : "";
}

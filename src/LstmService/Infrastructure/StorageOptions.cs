using System.ComponentModel.DataAnnotations;

namespace LstmService.Infrastructure;

/// <summary>
/// Where the registry lives. Section "Storage". <c>sqlite</c> (the default): one SQLite file and the weights files in
/// <see cref="DataDirectory"/>, for one process. <c>postgres</c>: everything, weights included, in the PostgreSQL database
/// of <see cref="ConnectionString"/>, which several replicas share. Checked at start by <see cref="StorageOptionsValidator"/>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> or <c>postgres</c> (case-insensitive).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Data directory of the SQLite provider, relative to the working directory unless absolute; created when missing.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The PostgreSQL provider's Npgsql connection string (Host=...;Database=...;Username=...;Password=...).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How often versions marked unavailable (weights missing or altered) are checked again, so weights put back intact are
    /// served within this time; with PostgreSQL, also how often each replica compares its cache of loaded models with the
    /// database, so a version or model deleted through another replica leaves its memory within this time (forecasts never
    /// serve it meanwhile: every request resolves its version in the database).
    /// </summary>
    [Range(100, 600_000)]
    public int SyncIntervalMilliseconds { get; set; } = 2_000;

    public bool IsPostgres => string.Equals(Provider?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);
}

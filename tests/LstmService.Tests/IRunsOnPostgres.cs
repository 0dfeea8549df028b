namespace LstmService.Tests;

/// <summary>
/// Marks the PostgreSQL variant of a storage test class: its <see cref="StorageFactAttribute"/> tests are skipped with
/// <see cref="TestPostgres.SkipReason"/> when no server is available.
/// </summary>
public interface IRunsOnPostgres;

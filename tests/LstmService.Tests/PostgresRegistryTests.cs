namespace LstmService.Tests;

/// <summary>Every <see cref="RegistryTests"/> test on the PostgreSQL provider (a fresh database each).</summary>
public sealed class PostgresRegistryTests() : RegistryTests("postgres"), IRunsOnPostgres;

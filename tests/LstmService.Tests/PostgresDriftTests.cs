namespace LstmService.Tests;

/// <summary>The drift tests on PostgreSQL (the version_events table, its once-per-kind insert); skipped without a server.</summary>
public sealed class PostgresDriftTests : DriftTests, IRunsOnPostgres
{
    protected override string Storage => "postgres";
}

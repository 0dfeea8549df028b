namespace LstmService.Tests;

/// <summary><see cref="JobListPagingTests"/> on PostgreSQL (skipped without a server, see <see cref="TestPostgres"/>).</summary>
public sealed class PostgresJobListPagingTests : JobListPagingTests, IRunsOnPostgres
{
    protected override string Storage => "postgres";
}

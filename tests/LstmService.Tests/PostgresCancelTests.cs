namespace LstmService.Tests;

/// <summary>Every <see cref="CancelTests"/> test on the PostgreSQL provider (a fresh database each).</summary>
public sealed class PostgresCancelTests : CancelTests, IRunsOnPostgres
{
    protected override string Storage => "postgres";
}

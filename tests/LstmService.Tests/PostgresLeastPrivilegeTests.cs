using System.Net;
using Npgsql;

namespace LstmService.Tests;

/// <summary>
/// A role that may only read and write rows, once the tables exist: the deploy README's advice to take CREATE away after the
/// first start. Skipped without a server (<see cref="TestPostgres"/>).
/// </summary>
public sealed class PostgresLeastPrivilegeTests : IRunsOnPostgres, IAsyncLifetime
{
    private string _database = null!;
    private readonly string _role = "lstm_rows_" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync()
    {
        _database = TestPostgres.CreateDatabase();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        TestPostgres.DropDatabase(_database);
        TestPostgres.Scalar(TestPostgres.AdminConnectionString!, $"DROP ROLE IF EXISTS {_role}");
        return Task.CompletedTask;
    }

    /// <summary>The database as the row-only role (the test cluster trusts local connections, so no password).</summary>
    private string AsRole() => new NpgsqlConnectionStringBuilder(_database) { Username = _role }.ConnectionString;

    private void CreateRole() => TestPostgres.Scalar(_database, $"""
        CREATE ROLE {_role} LOGIN;
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public TO {_role};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {_role};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {_role}
        """);

    [StorageFact]
    public async Task A_role_without_create_starts_once_the_tables_exist_and_trains()
    {
        // First start: the owner creates the tables.
        await using (var owner = new LstmServiceFactory(storage: "postgres", connectionString: _database))
            await owner.CreateClient().TrainAsync("first");
        CreateRole();

        // Every start after: the row-only role. PostgreSQL checks CREATE before IF NOT EXISTS, which had refused it.
        await using var restricted = new LstmServiceFactory(storage: "postgres", connectionString: AsRole());
        var client = restricted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models/first/versions/1")).StatusCode);
        await client.TrainAsync("second");
    }

    [StorageFact]
    public async Task A_role_without_create_on_an_empty_database_is_told_what_is_missing()
    {
        CreateRole();
        await using var restricted = new LstmServiceFactory(storage: "postgres", connectionString: AsRole());
        var error = Assert.ThrowsAny<Exception>(() => restricted.CreateClient()).ToString();
        Assert.Contains("do not exist yet and this role may not create them", error);
        Assert.Contains("models", error);
    }
}

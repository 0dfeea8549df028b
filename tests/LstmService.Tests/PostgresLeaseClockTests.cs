using LstmService.Training;
using Npgsql;

namespace LstmService.Tests;

/// <summary>
/// Leases on a shared database are set by its server's clock, not the replica's: a replica whose clock ran ahead had read
/// healthy runs' leases as expired and taken their jobs over. Skipped without a server (<see cref="TestPostgres"/>).
/// </summary>
public sealed class PostgresLeaseClockTests : IRunsOnPostgres, IAsyncLifetime
{
    private string _database = null!;

    public Task InitializeAsync()
    {
        _database = TestPostgres.CreateDatabase();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        TestPostgres.DropDatabase(_database);
        return Task.CompletedTask;
    }

    [StorageFact]
    public async Task A_lease_runs_from_the_database_servers_clock()
    {
        // The server's clock an hour ahead of this machine's: a schema before pg_catalog in the search path shadows clock_timestamp().
        TestPostgres.Scalar(_database, """
            CREATE SCHEMA skew;
            CREATE FUNCTION skew.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT pg_catalog.clock_timestamp() + interval '1 hour' $$
            """);
        var skewed = new NpgsqlConnectionStringBuilder(_database) { SearchPath = "skew,pg_catalog,public" }.ConnectionString;
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?> { ["TrainingQueue:PollMilliseconds"] = "100" },
            storage: "postgres", connectionString: skewed);
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("skewed", new
        {
            series = new[] { new { id = "sine", values = Api.Sine(400) } }, inputWindow = 12, horizon = 3, hiddenSize = 4,
            epochs = 600, patience = 600, ensemble = 1,
        });
        var running = await client.WaitForAsync(job.Id, j => j.Status != TrainingJobStatus.Queued);
        Assert.Equal(TrainingJobStatus.Running, running.Status); // 600 epochs: its lease is held for seconds

        var expires = DateTimeOffset.Parse((string)TestPostgres.Scalar(skewed, "SELECT lease_expires FROM jobs WHERE id = @id", ("@id", job.Id.ToString()))!,
            System.Globalization.CultureInfo.InvariantCulture);
        // An hour and a lease (30 s) ahead of this machine's clock; by this machine's clock it would be a lease ahead at most.
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
        await client.PostAsync($"/training-jobs/{job.Id}/cancel", null);
    }
}

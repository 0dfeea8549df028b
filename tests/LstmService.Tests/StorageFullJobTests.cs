using System.Data.Common;
using LstmService.Forecasting.Training;
using LstmService.Infrastructure;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// A job whose training ends while the SQLite file is full: neither its version nor its failure can be written. It had
/// stayed running, with nothing running it, until the next start; now its failure is written once the storage takes it.
/// </summary>
public sealed class StorageFullJobTests
{
    [Fact]
    public async Task A_job_whose_failure_could_not_be_written_ends_failed_once_the_storage_takes_it()
    {
        var disk = new FillingDisk();
        await using var factory = new LstmServiceFactory(services: s =>
        {
            s.AddSingleton<IRegistryDatabase>(sp => new FillingDatabase(sp.GetRequiredService<SqliteRegistryDatabase>(), disk));
            s.AddSingleton<ITrainer>(new FillsTheDiskWhenDone(disk));
        });
        var client = factory.CreateClient();
        var job = await client.SubmitAsync("full", Api.TinyTraining());

        // Full from the end of training: the version, the failure and its first retries are all refused.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref disk.Refused) < 2) { Assert.True(DateTime.UtcNow < deadline, "The training never ended."); await Task.Delay(20); }
        await Task.Delay(TrainingWorkerService.EndRetryInterval * 1.5);
        var freed = DateTimeOffset.UtcNow;
        disk.Full = false; // the operator frees some space

        var ended = await client.WaitForEndAsync(job.Id, timeoutSeconds: 20);
        Assert.Equal(TrainingJobStatus.Failed, ended.Status);
        Assert.Equal(StorageFullErrors.Message, ended.Error);
        Assert.Null(ended.Version);
        Assert.True(ended.FinishedAt < freed, $"finishedAt {ended.FinishedAt:O} is when the failure was written, not when the run ended (before {freed:O}).");
        // The run's epochs are written with its end, late as it is (they had been dropped when the run ended: epoch 0, no curve).
        Assert.True(ended.Epoch > 0, $"epoch {ended.Epoch}");
        Assert.Equal(ended.Epoch, ended.LossCurve?.Train.Count);
        // The operator's signal: readiness stays up (forecasts still answer), the counter says what the storage refused.
        Assert.Contains("lstm_storage_full_total{source=\"training\"} 1", await client.GetStringAsync("/metrics"));
        // The worker goes on with the next job.
        Assert.Equal(1, (await client.TrainAsync("full")).Version);
    }

    [Fact]
    public async Task A_start_on_a_full_disk_says_so_and_not_to_check_permissions()
    {
        // The refusal had sent the operator to check the directory's permissions.
        var disk = new FillingDisk { Full = true };
        await using var factory = new LstmServiceFactory(services: s =>
            s.AddSingleton<IRegistryDatabase>(sp => new FillingDatabase(sp.GetRequiredService<SqliteRegistryDatabase>(), disk)));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString();
        Assert.Contains("is full: free some space", error);
        Assert.DoesNotContain("may write", error);
    }

    [Fact]
    public async Task A_version_whose_row_is_refused_leaves_no_weights_behind()
    {
        await using var factory = new LstmServiceFactory();
        var client = factory.CreateClient();
        var weights = Path.Combine(factory.DataDirectory, "weights");
        var database = Path.Combine(factory.DataDirectory, "registry.db");
        // The weights file is written first, then the version's row: refused here by a trigger, as a full file refuses it.
        Sql(database, "CREATE TRIGGER refuse_growth BEFORE INSERT ON versions WHEN NEW.model = 'growth' BEGIN SELECT RAISE(ABORT, 'no room for the row'); END");

        var ended = await client.WaitForEndAsync((await client.SubmitAsync("growth", Api.TinyTraining())).Id, timeoutSeconds: 60);
        Assert.Equal(TrainingJobStatus.Failed, ended.Status);
        Assert.Contains("no room for the row", ended.Error);
        // The file had stayed until the next start's sweep, taking space the operator had to find elsewhere.
        Assert.Empty(Directory.GetFiles(weights));

        Sql(database, "DROP TRIGGER refuse_growth");
        Assert.Equal(1, (await client.TrainAsync("growth")).Version);
        Assert.Single(Directory.GetFiles(weights));
    }

    static void Sql(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    sealed class FillingDisk
    {
        public volatile bool Full;
        public int Refused;
    }

    /// <summary>Trains with the kernel, then fills the disk before the worker stores the version (once).</summary>
    sealed class FillsTheDiskWhenDone(FillingDisk disk) : ITrainer
    {
        int _calls;

        public TrainingResult Train(IReadOnlyList<TrainingSeries> series, TrainingOptions options, Action<EpochProgress>? progress, CancellationToken cancellationToken)
        {
            var result = ForecastTrainer.Train(series, options, progress, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1) disk.Full = true;
            return result;
        }
    }

    /// <summary>The SQLite database, refusing every connection with SQLite's own "full" error while the disk is full.</summary>
    sealed class FillingDatabase(SqliteRegistryDatabase inner, FillingDisk disk) : IRegistryDatabase
    {
        public string Provider => inner.Provider;
        public string Location => inner.Location;
        public SqlDialect Dialect => inner.Dialect;
        public bool IsShared => inner.IsShared;
        public void Initialize() => inner.Initialize();
        public void Dispose() => inner.Dispose();

        public DbConnection Connect()
        {
            if (!disk.Full) return inner.Connect();
            Interlocked.Increment(ref disk.Refused);
            throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
        }
    }
}

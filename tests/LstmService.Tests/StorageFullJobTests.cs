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
        int refusedWhileFull = Volatile.Read(ref disk.Refused);
        disk.Full = false; // the operator frees some space

        var ended = await client.WaitForEndAsync(job.Id, timeoutSeconds: 20);
        Assert.Equal(TrainingJobStatus.Failed, ended.Status);
        Assert.Equal(StorageFullErrors.Message, ended.Error);
        Assert.Null(ended.Version);
        Assert.True(refusedWhileFull >= 3, $"The failure was tried {refusedWhileFull} times while the file was full.");
        // The worker goes on with the next job.
        Assert.Equal(1, (await client.TrainAsync("full")).Version);
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

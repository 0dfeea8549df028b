using System.Data.Common;
using System.Net.Http.Json;
using LstmService.Infrastructure;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>
/// A job whose training ended while the storage refused writes (a read-only remount, a permission): its version is tried
/// again every second for up to TrainingQueue:MaxJobSeconds. It had shown running with no error, and the storage metric had
/// not moved, for that whole hour; now both say so at the first refused try, and the version is stored once the storage takes it.
/// </summary>
public sealed class UnwritableStorageJobTests
{
    [Fact]
    public async Task A_job_that_cannot_store_its_version_says_so_while_it_retries()
    {
        var weights = new RefusingWeights();
        await using var factory = new LstmServiceFactory(services: s =>
            s.AddSingleton<IWeightsStore>(sp => weights.Around(sp.GetRequiredService<FileWeightsStore>())));
        var client = factory.CreateClient();
        weights.Refusing = true;
        var job = await client.SubmitAsync("stalled", Api.TinyTraining());

        TrainingJobResponse? running = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (running?.Error is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The job never said why its version was not stored.");
            await Task.Delay(50);
            running = await client.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{job.Id}", Api.Json);
        }
        Assert.Equal(TrainingJobStatus.Running, running.Status);
        Assert.Contains("not stored yet", running.Error);
        Assert.Contains(StorageUnwritableErrors.Message, running.Error);
        Assert.Contains("lstm_storage_full_total{source=\"unwritable\"} 1", await client.GetStringAsync("/metrics"));

        weights.Refusing = false; // the operator makes it writable again
        var ended = await client.WaitForEndAsync(job.Id, timeoutSeconds: 30);
        Assert.Equal(TrainingJobStatus.Succeeded, ended.Status);
        Assert.Null(ended.Error);
        Assert.Equal(1, ended.Version);
        Assert.Contains("lstm_storage_full_total{source=\"unwritable\"} 1", await client.GetStringAsync("/metrics"));
    }

    /// <summary>The file store, refusing writes as a read-only file system does while <see cref="Refusing"/>.</summary>
    sealed class RefusingWeights
    {
        public volatile bool Refusing;

        public IWeightsStore Around(IWeightsStore inner) => new Store(inner, this);

        sealed class Store(IWeightsStore inner, RefusingWeights owner) : IWeightsStore
        {
            public (string Sha256, long Size) Write(byte[] content, DbConnection connection, DbTransaction tx) =>
                owner.Refusing ? throw new UnauthorizedAccessException("Read-only file system") : inner.Write(content, connection, tx);
            public string? Check(string sha256, long expectedSize) => inner.Check(sha256, expectedSize);
            public string? Fingerprint(string sha256) => inner.Fingerprint(sha256);
            public byte[] Read(string sha256) => inner.Read(sha256);
            public Stream OpenVerified(string sha256) => inner.OpenVerified(sha256);
            public void DeleteIfUnreferenced(string sha256, DbConnection connection) => inner.DeleteIfUnreferenced(sha256, connection);
            public int RemoveStray(IReadOnlySet<string> referenced, DbConnection connection) => inner.RemoveStray(referenced, connection);
        }
    }
}

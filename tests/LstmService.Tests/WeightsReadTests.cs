using System.Net;
using System.Net.Http.Json;
using LstmService.Models;
using LstmService.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>Reading a version's weights: a transient I/O error is retried and not remembered; a version deleted meanwhile is 404.</summary>
public sealed class WeightsReadTests : ServiceFixture
{
    // The binary download reads the file at every request (a forecast reads it once, into the model cache).
    private const string Weights = "/models/locked/versions/1/weights";

    /// <summary>Makes the next <paramref name="failures"/> reads of the weights fail as a locked file does; dispose to restore.</summary>
    private IDisposable FailReads(int failures)
    {
        var store = Factory.Services.GetRequiredService<FileWeightsStore>();
        var left = failures;
        store.OpenFile = path => Interlocked.Decrement(ref left) >= 0
            ? throw new IOException("The process cannot access the file because it is being used by another process.")
            : FileWeightsStore.OpenForReading(path);
        return new Restore(() => store.OpenFile = FileWeightsStore.OpenForReading);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    [Fact]
    public async Task A_lock_shorter_than_the_retries_goes_unnoticed()
    {
        await Client.TrainAsync("locked");
        using var failing = FailReads(FileWeightsStore.ReadAttempts - 1);
        var response = await Client.GetAsync(Weights);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_lock_that_outlasts_the_retries_answers_503_and_the_version_stays_available()
    {
        await Client.TrainAsync("locked");
        using (FailReads(int.MaxValue))
        {
            var busy = await Client.GetAsync(Weights);
            await busy.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(busy.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Weights)).StatusCode);
        var version = await Client.GetFromJsonAsync<VersionResponse>("/models/locked/versions/1", Api.Json);
        Assert.True(version!.Available);
    }

    [Fact]
    public async Task A_file_it_may_not_read_answers_503_without_its_path()
    {
        await Client.TrainAsync("locked");
        var store = Factory.Services.GetRequiredService<FileWeightsStore>();
        // A permission the operator took away (which root, running the tests, does not feel), or a directory in the file's place.
        store.OpenFile = path => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        try
        {
            var denied = await Client.GetAsync(Weights);
            var problem = await denied.ProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("access denied", problem.GetProperty("detail").GetString());
            Assert.DoesNotContain(Factory.DataDirectory, problem.GetRawText());
        }
        finally { store.OpenFile = FileWeightsStore.OpenForReading; }
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Weights)).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a cache that keeps none (ModelCache:MaxBytes 0): they still share the one load, not one after another
    public async Task Concurrent_requests_for_a_version_not_yet_loaded_read_its_weights_once(bool uncached)
    {
        await using var factory = new LstmServiceFactory(settings: uncached ? new Dictionary<string, string?> { ["ModelCache:MaxBytes"] = "0" } : null);
        await factory.CreateClient().TrainAsync("shared");
        var registry = factory.Services.GetRequiredService<ModelRegistry>();
        var version = registry.GetVersion("shared", 1)!;
        factory.Services.GetRequiredService<ModelCache>().Remove(("shared", 1));
        var store = factory.Services.GetRequiredService<FileWeightsStore>();
        var opened = 0;
        // A slow disk, so that the eight requests all arrive while the first one reads.
        store.OpenFile = path =>
        {
            Interlocked.Increment(ref opened);
            Thread.Sleep(300);
            return FileWeightsStore.OpenForReading(path);
        };
        try
        {
            // Each on a thread of its own, started together, as Kestrel's requests would arrive (the pool starts threads slowly).
            using var start = new Barrier(8);
            var loads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return registry.GetForecaster(version).Model;
            }, TaskCreationOptions.LongRunning)));
            Assert.All(loads, Assert.NotNull);
            Assert.Single(loads.Distinct());
            Assert.Equal(1, opened);
        }
        finally { store.OpenFile = FileWeightsStore.OpenForReading; }
    }

    [Fact]
    public async Task A_version_deleted_while_its_weights_are_read_is_not_found_not_unavailable()
    {
        await Client.TrainAsync("raced");
        var registry = Factory.Services.GetRequiredService<ModelRegistry>();
        var resolved = registry.GetVersion("raced", 1)!; // what a forecast resolved just before the delete
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/models/raced")).StatusCode);

        var (model, error) = registry.GetForecaster(resolved);
        Assert.Null(model);
        Assert.Null(registry.UnavailableReason("raced", 1));
        var problem = registry.LoadProblem(resolved, error!, new DefaultHttpContext());
        Assert.Equal(StatusCodes.Status404NotFound, problem.StatusCode);
    }
}

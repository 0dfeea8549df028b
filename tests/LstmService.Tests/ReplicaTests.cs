using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LstmService.Forecasts;
using LstmService.Registry;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>
/// Replicas on one PostgreSQL database: in-process hosts (one <see cref="LstmServiceFactory"/> each) sharing the
/// database, as replicas behind a load balancer share it. Skipped without a server (<see cref="TestPostgres"/>).
/// </summary>
public sealed class ReplicaTests : IRunsOnPostgres, IAsyncLifetime
{
    private string _database = null!;
    private readonly List<LstmServiceFactory> _replicas = [];
    // Every replica's warnings and errors, so a failed assertion on an answer's status can say what the service logged.
    private readonly CapturingLoggerProvider _logs = new();

    public Task InitializeAsync()
    {
        _database = TestPostgres.CreateDatabase();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
        TestPostgres.DropDatabase(_database);
    }

    private (LstmServiceFactory Factory, HttpClient Client) Replica(int workers, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["TrainingQueue:Workers"] = workers.ToString(),
            ["TrainingQueue:PollMilliseconds"] = "100",
            ["TrainingQueue:Capacity"] = "100",
            ["Storage:SyncIntervalMilliseconds"] = "200",
        };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        var factory = new LstmServiceFactory(settings: all, storage: "postgres", connectionString: _database,
            services: s => s.AddSingleton<ILoggerProvider>(_logs));
        _replicas.Add(factory);
        return (factory, factory.CreateClient());
    }

    private static readonly object History = new { series = new[] { new { history = Api.Sine(12) } } };

    private static async Task<int> ForecastVersionAsync(HttpClient client, string model, string query = "")
    {
        var response = await client.PostJsonAsync($"/models/{model}/forecast{query}", History);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<ForecastResponse>()).Version;
    }

    [StorageFact]
    public async Task Appends_to_one_stream_through_two_replicas_lose_no_value()
    {
        var a = Replica(workers: 1);
        var b = Replica(workers: 0);
        await a.Client.TrainAsync("streamed", Api.TinyTraining());
        var opened = await b.Client.PostJsonAsync("/models/streamed/streams", new { seriesId = "sine", history = Api.Sine(24) });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var id = (await opened.ReadAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        // Twenty appends at once, alternating replicas: each replica's update names the revision it read, so none overwrites another.
        var values = Api.Sine(20, start: 24);
        var answers = await Task.WhenAll(values.Select((v, i) => (i % 2 == 0 ? a.Client : b.Client)
            .PostJsonAsync($"/streams/{id}/observations", new { values = new[] { v } })));
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var lengths = new List<int>();
        foreach (var r in answers) lengths.Add((await r.ReadAsync<System.Text.Json.JsonElement>()).GetProperty("length").GetInt32());
        Assert.Equal(Enumerable.Range(25, 20), lengths.Order());
        var stream = await a.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/streams/{id}", Api.Json);
        Assert.Equal(44, stream.GetProperty("length").GetInt32());
    }

    [StorageFact]
    public async Task Two_replicas_drain_one_queue_each_job_succeeds_once_with_unique_increasing_versions()
    {
        var a = Replica(workers: 1);
        var b = Replica(workers: 1);
        var clients = new[] { a.Client, b.Client };

        // Submitted round-robin through both replicas; either replica's worker may run any of them.
        var jobs = new List<TrainingJobResponse>();
        for (var i = 0; i < 8; i++) jobs.Add(await clients[i % 2].SubmitAsync("shared", Api.TinyTraining(epochs: 2, seed: (ulong)i)));
        var done = new List<TrainingJobResponse>();
        foreach (var job in jobs) done.Add(await clients[(jobs.IndexOf(job) + 1) % 2].WaitForEndAsync(job.Id));

        Assert.All(done, j => Assert.Equal(TrainingJobStatus.Succeeded, j.Status));
        Assert.All(done, j => Assert.Equal(1, j.Attempts));
        // One version per job: numbers unique, 1..8, increasing in the order the jobs finished.
        var byFinish = done.OrderBy(j => j.FinishedAt).Select(j => j.Version!.Value).ToArray();
        Assert.Equal(Enumerable.Range(1, 8), byFinish.Order());
        var model = await b.Client.GetFromJsonAsync<Models.ModelResponse>("/models/shared", Api.Json);
        Assert.Equal(Enumerable.Range(1, 8), model!.Versions.Select(v => v.Version));

        // Every version forecasts from both replicas; an alias set through one is used by the other at once.
        foreach (var client in clients)
            for (var v = 1; v <= 8; v++) Assert.Equal(v, await ForecastVersionAsync(client, "shared", $"?version={v}"));
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PutAsJsonAsync("/models/shared/aliases/live", new { version = 3 }, Api.Json)).StatusCode);
        Assert.Equal(3, await ForecastVersionAsync(b.Client, "shared", "?alias=live"));
        Assert.Equal(HttpStatusCode.OK, (await b.Client.PutAsJsonAsync("/models/shared/aliases/live", new { version = 5 }, Api.Json)).StatusCode);
        Assert.Equal(5, await ForecastVersionAsync(a.Client, "shared", "?alias=live"));
    }

    [StorageFact]
    public async Task A_job_whose_lease_expired_is_taken_over_and_the_old_run_can_no_longer_change_it()
    {
        var (dead, deadClient) = Replica(workers: 0);
        var job = await deadClient.SubmitAsync("orphan", Api.TinyTraining());
        // The "killed" replica: it claimed the job with a 1 s lease and then never renewed it.
        var deadStore = dead.Services.GetRequiredService<TrainingJobStore>();
        var stale = deadStore.TryClaimNext(TimeSpan.FromSeconds(1));
        Assert.Equal(job.Id, stale!.Id);

        var watch = Stopwatch.StartNew();
        var (_, survivor) = Replica(workers: 1, new() { ["TrainingQueue:LeaseSeconds"] = "3" });
        var finished = await survivor.WaitForEndAsync(job.Id, 60);
        Assert.Equal(TrainingJobStatus.Succeeded, finished.Status);
        Assert.Equal(2, finished.Attempts);
        Assert.Equal(1, finished.Version);

        // The stale run lost the job: its renewal says so and none of its writes lands.
        Assert.Equal(LeaseState.Lost, deadStore.RenewLease(stale, TimeSpan.FromSeconds(30)));
        Assert.False(deadStore.MarkFailed(stale, "late"));
        Assert.False(deadStore.Requeue(stale));
        Assert.Equal(TrainingJobStatus.Succeeded, (await deadClient.GetFromJsonAsync<TrainingJobResponse>($"/training-jobs/{job.Id}", Api.Json))!.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));
    }

    [StorageFact]
    public async Task A_lease_that_expired_while_the_database_was_away_is_not_taken_over_before_its_run_renews_it()
    {
        var (owner, ownerClient) = Replica(workers: 0);
        var (other, otherClient) = Replica(workers: 0, new() { ["TrainingQueue:LeaseSeconds"] = "3" });
        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("/health/live")).StatusCode); // started (its start takes over expired leases)
        var job = await ownerClient.SubmitAsync("outlasted", Api.TinyTraining());
        var ownerStore = owner.Services.GetRequiredService<TrainingJobStore>();
        var run = ownerStore.TryClaimNext(TimeSpan.FromSeconds(1))!;
        await Task.Delay(1500); // the lease runs out "during the outage"

        // The other replica, which has just found the database away, waits a lease (3 s here) before it takes over anything.
        var queue = other.Services.GetRequiredService<TrainingQueue>();
        var jobs = other.Services.GetRequiredService<TrainingJobStore>();
        queue.DatabaseFailed();
        queue.RecoverExpiredLeases();
        Assert.Equal(TrainingJobStatus.Running, jobs.Get(job.Id)!.Status);

        // Meanwhile the run renews its lease (the database is back), so the job stays its own, without an attempt counted.
        Assert.Equal(LeaseState.Held, ownerStore.RenewLease(run, TimeSpan.FromSeconds(30)));
        await Task.Delay(3200);
        queue.RecoverExpiredLeases();
        var after = jobs.Get(job.Id)!;
        Assert.Equal(TrainingJobStatus.Running, after.Status);
        Assert.Equal(1, after.Attempts);

        // A lease that no run renews is still taken over once a lease has passed since the failure.
        Assert.True(ownerStore.Requeue(run));
        var orphan = ownerStore.TryClaimNext(TimeSpan.FromSeconds(1))!;
        await Task.Delay(1500);
        queue.RecoverExpiredLeases();
        Assert.Equal(TrainingJobStatus.Queued, jobs.Get(orphan.Id)!.Status);
    }

    [StorageFact]
    public async Task A_cancel_accepted_while_the_jobs_replica_is_dead_holds_when_another_takes_the_job_over()
    {
        var (dead, deadClient) = Replica(workers: 0);
        var job = await deadClient.SubmitAsync("abandoned", Api.TinyTraining());
        var stale = dead.Services.GetRequiredService<TrainingJobStore>().TryClaimNext(TimeSpan.FromSeconds(1));
        Assert.Equal(job.Id, stale!.Id);

        // Cancelled through a third replica while nobody runs the job: accepted, and recorded in the database.
        var (_, front) = Replica(workers: 0);
        Assert.Equal(HttpStatusCode.Accepted, (await front.PostAsync($"/training-jobs/{job.Id}/cancel", null)).StatusCode);

        var (_, survivor) = Replica(workers: 1, new() { ["TrainingQueue:LeaseSeconds"] = "3" });
        var ended = await survivor.WaitForEndAsync(job.Id, 60);
        Assert.Equal(TrainingJobStatus.Cancelled, ended.Status);
        Assert.Null(ended.Version);
        Assert.Equal(1, ended.Attempts);
    }

    [StorageFact]
    public async Task Progress_streams_and_cancels_through_a_replica_that_does_not_run_the_job()
    {
        var (_, runner) = Replica(workers: 1);
        var (_, other) = Replica(workers: 0);
        var id = (await runner.SubmitAsync("watched", Api.LongTraining())).Id;
        await runner.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);

        using var response = await other.GetAsync($"/training-jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var epochs = new List<int>();
        while (epochs.Count < 2)
        {
            var line = await reader.ReadLineAsync();
            if (line is null) break;
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                epochs.Add(System.Text.Json.JsonDocument.Parse(line[6..]).RootElement.GetProperty("epoch").GetInt32());
        }
        Assert.Equal(2, epochs.Count);
        Assert.True(epochs[1] > epochs[0], $"epochs {string.Join(", ", epochs)}");

        // Cancelled through the replica that does not run it: the runner reads the request when it renews the lease.
        Assert.Equal(HttpStatusCode.Accepted, (await other.PostAsync($"/training-jobs/{id}/cancel", null)).StatusCode);
        var watch = Stopwatch.StartNew();
        Assert.Equal(TrainingJobStatus.Cancelled, (await other.WaitForEndAsync(id, 30)).Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"cancel took {watch.Elapsed.TotalSeconds:F1} s");
    }

    [StorageFact]
    public async Task A_job_whose_model_another_replica_deletes_ends_cancelled_on_its_runner_not_as_a_lost_lease()
    {
        // The runner had logged "no longer holds its lease" at Warning and counted outcome="lease_lost"; one replica counts a cancel.
        var (_, runner) = Replica(workers: 1);
        var (_, other) = Replica(workers: 0);
        var id = (await runner.SubmitAsync("deleted-meanwhile", Api.LongTraining())).Id;
        await runner.WaitForAsync(id, j => j.Status == TrainingJobStatus.Running && j.Epoch >= 1);
        Assert.Equal(HttpStatusCode.NoContent, (await other.DeleteAsync("/models/deleted-meanwhile")).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<PrometheusText.Sample> samples;
        double Outcome(string outcome) => samples.Where(s => s.Name == "lstm_training_jobs_total" && s.Labels.GetValueOrDefault("outcome") == outcome).Sum(s => s.Value);
        do
        {
            await Task.Delay(200);
            samples = PrometheusText.Parse(await runner.GetStringAsync("/metrics"));
        } while (Outcome("cancelled") + Outcome("lease_lost") == 0 && DateTime.UtcNow < deadline);
        Assert.Equal((1.0, 0.0), (Outcome("cancelled"), Outcome("lease_lost")));
    }

    [StorageFact]
    public async Task An_alias_set_on_a_version_another_replica_deletes_meanwhile_answers_404_not_500()
    {
        var (_, a) = Replica(workers: 1);
        await a.TrainAsync("racy");
        // The race made deterministic: a trigger deletes the version just before the alias row goes in, as another
        // replica's delete would between the registry's check and its insert.
        TestPostgres.Scalar(_database, """
            CREATE FUNCTION delete_version_first() RETURNS trigger AS $$
            BEGIN DELETE FROM versions WHERE model = NEW.model AND version = NEW.version; RETURN NEW; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER racing_delete BEFORE INSERT ON aliases FOR EACH ROW EXECUTE FUNCTION delete_version_first();
            """);
        var response = await a.PutAsJsonAsync("/models/racy/aliases/live", new { version = 1 }, Api.Json);
        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("version 1", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [StorageFact]
    public async Task Versions_added_through_one_replica_while_another_deletes_the_model_never_reuse_a_number()
    {
        // A version added while another replica deleted its model had read the model's next number before the delete's mark
        // committed: numbers began again at 1 (a review), or the add met a model row gone and answered 500.
        var a = Replica(workers: 1);
        var b = Replica(workers: 0);
        await a.Client.TrainAsync("source", Api.TinyTraining());
        var adder = a.Factory.Services.GetRequiredService<ModelRegistry>();
        var deleter = b.Factory.Services.GetRequiredService<ModelRegistry>();
        var trained = adder.GetForecaster(adder.GetVersion("source", 1)!).Model!;
        var numbers = new List<int>();
        var until = DateTime.UtcNow.AddSeconds(4);
        var adding = Task.Run(() =>
        {
            while (DateTime.UtcNow < until) numbers.Add(adder.AddVersion(new NewVersion("churn", trained, VersionSource.Imported))!.Version);
        });
        var deletes = 0;
        var deleting = Task.Run(() =>
        {
            while (DateTime.UtcNow < until) if (deleter.DeleteModel("churn")) deletes++;
        });
        await Task.WhenAll(adding, deleting);
        Assert.True(numbers.Count > 20 && deletes > 5, $"{numbers.Count} adds, {deletes} deletes");
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [StorageFact]
    public async Task A_delete_through_one_replica_is_seen_by_the_other_and_evicts_its_cache()
    {
        var (_, a) = Replica(workers: 1);
        var (bFactory, b) = Replica(workers: 0);
        await a.TrainAsync("gone");
        Assert.Equal(1, await ForecastVersionAsync(b, "gone"));
        var registry = bFactory.Services.GetRequiredService<ModelRegistry>();
        Assert.Equal(1, registry.CachedModels);

        // A new version trained through A is B's newest at once: B resolves every forecast in the database.
        await a.TrainAsync("gone");
        Assert.Equal(2, await ForecastVersionAsync(b, "gone"));

        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync("/models/gone")).StatusCode);
        await (await b.PostJsonAsync("/models/gone/forecast", History)).ProblemAsync(HttpStatusCode.NotFound);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (registry.CachedModels > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, registry.CachedModels);
    }

    [StorageFact]
    public async Task Replicas_starting_together_on_a_fresh_database_queue_the_demo_once()
    {
        var settings = new Dictionary<string, string?> { ["Demo:TrainSampleOnFirstStart"] = "true" };
        var factories = Enumerable.Range(0, 3)
            .Select(_ => new LstmServiceFactory(settings: new Dictionary<string, string?>(settings) { ["TrainingQueue:Workers"] = "0" }, storage: "postgres", connectionString: _database))
            .ToList();
        _replicas.AddRange(factories);
        var clients = await Task.WhenAll(factories.Select(f => Task.Run(f.CreateClient)));
        var jobs = await clients[0].GetFromJsonAsync<TrainingJobResponse[]>("/training-jobs", Api.Json);
        Assert.Single(jobs!, j => j.Model == "sunspots");
    }

    [StorageFact]
    public async Task The_queue_capacity_holds_across_replicas()
    {
        // Every submit at once through each replica (none refused by the heavy-request limit), so only the capacity decides.
        var settings = new Dictionary<string, string?> { ["TrainingQueue:Capacity"] = "3", ["HeavyRequests:MaxConcurrent"] = "64" };
        var (_, a) = Replica(workers: 0, settings);
        var (_, b) = Replica(workers: 0, settings);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => (i % 2 == 0 ? a : b).PostJsonAsync("/models/full/training-jobs", Api.TinyTraining(seed: (ulong)i))));
        // Every answer's status and body, and what the replicas logged, on a failure: a 503 or 500 among them says why.
        var answers = string.Join("\n", await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}")))
            + $"\nThe replicas logged: {string.Join(" | ", _logs.Messages)}";
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Accepted) == 3, answers);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests) == 7, answers);
    }
}

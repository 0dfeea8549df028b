using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LstmService.Infrastructure;
using LstmService.Models;

namespace LstmService.Tests;

/// <summary>
/// Storage that went away under a running service: a weights directory deleted by hand is made again by the next write
/// (every write had failed with a bare 500 naming the server's path until a restart), a data directory that is gone
/// answers 503 as storage that cannot be written, without its path, and a loaded version's deleted file is noticed.
/// </summary>
public sealed class MissingWeightsDirectoryTests : ServiceFixture
{
    [Fact]
    public async Task A_deleted_weights_directory_is_made_again_by_the_next_version()
    {
        await Client.TrainAsync("first");
        Directory.Delete(Path.Combine(Factory.DataDirectory, "weights"), recursive: true);

        await Client.TrainAsync("second");
        var version = await Client.GetFromJsonAsync<VersionResponse>("/models/second/versions/1", Api.Json);
        Assert.True(version!.Available);
        Assert.True(Factory.WeightsExist(version.Weights.Sha256));
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/second/forecast", new { series = new[] { new { history = Api.Sine(40) } } })).StatusCode);
    }

    [Fact]
    public async Task A_data_directory_that_is_gone_answers_503_without_its_path()
    {
        await Client.TrainAsync("first");
        var stateDict = JsonNode.Parse(await Client.GetStringAsync("/models/first/versions/1/weights?format=torch"))!;
        Directory.Delete(Factory.DataDirectory, recursive: true);

        var response = await Client.PostJsonAsync("/models/copy/versions", new { stateDict });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Contains(StorageUnwritableErrors.Message, body);
        Assert.DoesNotContain(Factory.DataDirectory, body);
    }

    [Fact]
    public async Task A_data_directory_that_is_gone_refuses_writes_that_only_the_database_holds()
    {
        // SQLite had gone on writing the unlinked file: a job and an alias were acknowledged, then gone at the next start.
        await Client.TrainAsync("first");
        Directory.Delete(Factory.DataDirectory, recursive: true);

        var job = await Client.PostJsonAsync("/models/after/training-jobs", new { series = new[] { new { values = Api.Sine(60) } }, horizon = 2 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, job.StatusCode);
        Assert.Contains(StorageUnwritableErrors.Message, await job.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.PutAsJsonAsync("/models/first/aliases/prod", new { version = 1 })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
        // Live still: a restart would start an empty registry where the directory may yet come back (a volume remounted).
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_data_directory_replaced_by_a_copy_refuses_writes_until_a_restart()
    {
        // Deleted and restored from a copy while the service ran: a registry file was at its path, so readiness had stayed
        // up while the pooled connections wrote the unlinked file; the alias and the job were gone at the next start.
        await Client.TrainAsync("first");
        var copy = Factory.DataDirectory + ".copy";
        CopyDirectory(Factory.DataDirectory, copy);
        Directory.Delete(Factory.DataDirectory, recursive: true);
        CopyDirectory(copy, Factory.DataDirectory);
        Directory.Delete(copy, recursive: true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.PutAsJsonAsync("/models/first/aliases/prod", new { version = 1 })).StatusCode);
        var job = await Client.PostJsonAsync("/models/after/training-jobs", new { series = new[] { new { values = Api.Sine(60) } }, horizon = 2 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, job.StatusCode);
        // A read is told what happened and what mends it: it had been told its write was refused and to make the storage writable.
        var list = await (await Client.GetAsync("/models")).ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Storage replaced", list.GetProperty("title").GetString());
        Assert.Equal(DataDirectoryReplacedException.ClientMessage, list.GetProperty("detail").GetString());
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("replaced", await ready.Content.ReadAsStringAsync());
        // Liveness too: only a restart reads the copy, and with readiness alone nothing restarted a single replica.
        var live = await Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
        Assert.Contains("restart the service", await live.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_backup_without_its_lock_file_restored_under_the_service_fails_liveness()
    {
        // The documented backup holds registry.db and weights/, no lock file: restored under a running service, readiness had
        // failed for good and liveness, asking only for a lock file at the path, had never asked for the restart.
        await Client.TrainAsync("first");
        var copy = Factory.DataDirectory + ".backup";
        CopyDirectory(Factory.DataDirectory, copy);
        File.Delete(Path.Combine(copy, "registry.lock"));
        Directory.Delete(Factory.DataDirectory, recursive: true);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode); // only deleted: a restart would start empty
        CopyDirectory(copy, Factory.DataDirectory);
        Directory.Delete(copy, recursive: true);
        var live = await Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
        Assert.Contains("replaced", await live.Content.ReadAsStringAsync());
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        // The lock file is held by this very process, which .NET will not let copy it: cp copies an empty file.
        foreach (var file in Directory.GetFiles(from))
            if (Path.GetFileName(file) == "registry.lock") File.WriteAllBytes(Path.Combine(to, "registry.lock"), []);
            else File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from)) CopyDirectory(folder, Path.Combine(to, Path.GetFileName(folder)));
    }

    [Fact]
    public async Task A_loaded_versions_deleted_weights_file_is_noticed_without_a_restart_and_its_return_too()
    {
        // Served from memory, the version had stayed available (and the unavailable-versions metric at 0) until it left the
        // cache or the service restarted, when it could no longer be served.
        await Client.TrainAsync("loaded");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/loaded/forecast", new { series = new[] { new { history = Api.Sine(40) } } })).StatusCode);
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/loaded/versions/1", Api.Json))!.Weights.Sha256;
        var file = Path.Combine(Factory.DataDirectory, "weights", sha + ".lstm");
        var content = await File.ReadAllBytesAsync(file);
        File.Delete(file);

        var version = await WaitForAsync(v => !v.Available);
        Assert.Contains("missing", version.UnavailableReason);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostJsonAsync("/models/loaded/forecast", new { series = new[] { new { history = Api.Sine(40) } } })).StatusCode);

        await File.WriteAllBytesAsync(file, content);
        Assert.True((await WaitForAsync(v => v.Available)).Available);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/loaded/forecast", new { series = new[] { new { history = Api.Sine(40) } } })).StatusCode);
    }

    [Fact]
    public async Task A_loaded_versions_weights_file_altered_in_place_is_noticed_and_its_restoring_too()
    {
        // Written over in place (dd conv=notrunc), the file had been noticed only by a download of the weights.
        await Client.TrainAsync("altered");
        var history = new { series = new[] { new { history = Api.Sine(40) } } };
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/altered/forecast", history)).StatusCode);
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/altered/versions/1", Api.Json))!.Weights.Sha256;
        var file = Path.Combine(Factory.DataDirectory, "weights", sha + ".lstm");
        var content = await File.ReadAllBytesAsync(file);
        var altered = content.ToArray();
        altered[altered.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, altered);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5)); // a write within the clock's tick still moves the fingerprint

        var version = await WaitForAsync(v => !v.Available, "altered");
        Assert.False(version.Available);
        Assert.Contains("altered", version.UnavailableReason);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostJsonAsync("/models/altered/forecast", history)).StatusCode);
        Assert.Contains("lstm_model_versions_unavailable 1", await Client.GetStringAsync("/metrics"));

        await File.WriteAllBytesAsync(file, content);
        Assert.True((await WaitForAsync(v => v.Available, "altered")).Available);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync("/models/altered/forecast", history)).StatusCode);
    }

    private async Task<VersionResponse> WaitForAsync(Func<VersionResponse, bool> done, string model = "loaded")
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            var version = (await Client.GetFromJsonAsync<VersionResponse>($"/models/{model}/versions/1", Api.Json))!;
            if (done(version) || DateTime.UtcNow > deadline) return version;
            await Task.Delay(100);
        }
    }

    [Fact]
    public void A_missing_directory_is_storage_that_cannot_be_written() =>
        Assert.True(StorageUnwritableErrors.Is(new InvalidOperationException("wrapped", new DirectoryNotFoundException("Could not find a part of the path '/data/weights/.tmp-1'."))));
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using LstmService.Models;

namespace LstmService.Tests;

/// <summary>A version's weights file changed on disk: noticed, the version unavailable, and served again once put back.</summary>
public partial class RegistryTests
{
    [StorageFact]
    public async Task Weights_put_back_intact_are_served_again_without_a_restart()
    {
        await Client.TrainAsync("restored", Api.TinyTraining(epochs: 2, seed: 1));
        await Client.TrainAsync("restored", Api.TinyTraining(epochs: 3, seed: 2));
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/restored/versions/2", Api.Json))!.Weights.Sha256;
        var intact = Factory.StoredWeights(sha);
        byte[] Altered(byte mask) { var bytes = (byte[])intact.Clone(); bytes[^1] ^= mask; return bytes; }
        Factory.OverwriteWeights(sha, Altered(0xFF));

        // A trained version is first loaded by its first forecast, which finds the weights altered.
        await (await Client.PostJsonAsync("/models/restored/forecast?version=2", History)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, (await ForecastAsync("restored")).Version);

        // Other bytes under the name are checked again (the reason then names their hash) and still refused...
        var other = Altered(0x0F);
        Factory.OverwriteWeights(sha, other);
        var otherHash = Convert.ToHexStringLower(SHA256.HashData(other));
        var version = await WaitForVersionAsync("restored", 2, v => v.UnavailableReason?.Contains(otherHash) == true);
        Assert.False(version.Available);
        await (await Client.PostJsonAsync("/models/restored/forecast?version=2", History)).ProblemAsync(HttpStatusCode.Conflict);

        // ...and the right bytes are served again, as the newest available version too, even put back as `cp -p` does, with
        // the file's size and write time as they were (then found by the full recheck, every 15 beats).
        var file = Factory.ConnectionString is null ? new FileInfo(Path.Combine(Factory.DataDirectory, "weights", sha + ".lstm")) : null;
        var writtenBefore = file?.LastWriteTimeUtc;
        Factory.OverwriteWeights(sha, intact);
        if (file is not null) File.SetLastWriteTimeUtc(file.FullName, writtenBefore!.Value);
        Assert.True((await WaitForVersionAsync("restored", 2, v => v.Available)).Available);
        Assert.Equal(2, (await ForecastAsync("restored", "?version=2")).Version);
        Assert.Equal(2, (await ForecastAsync("restored")).Version);
    }

    [StorageFact]
    public async Task A_loaded_versions_weights_written_over_with_as_many_bytes_are_noticed_without_a_forecast()
    {
        // A PostgreSQL row written over in place had passed the background check, which compared its size alone: the version
        // stayed available and was served from memory until it left the cache.
        await Client.TrainAsync("overwritten", Api.TinyTraining(epochs: 2, seed: 4));
        Assert.Equal(1, (await ForecastAsync("overwritten")).Version); // loaded, in the model cache
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/overwritten/versions/1", Api.Json))!.Weights.Sha256;
        var intact = Factory.StoredWeights(sha);
        var altered = (byte[])intact.Clone();
        altered[altered.Length / 2] ^= 0x01;
        Factory.OverwriteWeights(sha, altered);

        var version = await WaitForVersionAsync("overwritten", 1, v => !v.Available);
        Assert.False(version.Available);
        Assert.Contains("altered", version.UnavailableReason);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(altered)), version.UnavailableReason);
        await (await Client.PostJsonAsync("/models/overwritten/forecast", History)).ProblemAsync(HttpStatusCode.Conflict);

        Factory.OverwriteWeights(sha, intact);
        Assert.True((await WaitForVersionAsync("overwritten", 1, v => v.Available)).Available);
        Assert.Equal(1, (await ForecastAsync("overwritten")).Version);
    }

    [StorageFact]
    public async Task Versions_that_share_a_weights_file_are_unavailable_together_and_served_again_together()
    {
        // Identical weights are stored once. Found altered through one version, the file had left the others available,
        // and one already in the model cache was served from memory.
        await Client.TrainAsync("origin", Api.TinyTraining(epochs: 2, seed: 3));
        var stateDict = JsonDocument.Parse(await Client.GetStringAsync("/models/origin/versions/1/weights?format=torch")).RootElement;
        foreach (var copy in new[] { "copy-a", "copy-b" })
            Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync($"/models/{copy}/versions", new { stateDict })).StatusCode);
        var sha = (await Client.GetFromJsonAsync<VersionResponse>("/models/copy-a/versions/1", Api.Json))!.Weights.Sha256;
        Assert.Equal(sha, (await Client.GetFromJsonAsync<VersionResponse>("/models/copy-b/versions/1", Api.Json))!.Weights.Sha256);
        Assert.Equal(1, (await ForecastAsync("copy-b")).Version); // in the model cache now
        var intact = Factory.StoredWeights(sha);
        var altered = (byte[])intact.Clone();
        altered[^1] ^= 0xFF;
        Factory.OverwriteWeights(sha, altered);

        await (await Client.PostJsonAsync("/models/copy-a/forecast", History)).ProblemAsync(HttpStatusCode.Conflict);
        var other = (await Client.GetFromJsonAsync<VersionResponse>("/models/copy-b/versions/1", Api.Json))!;
        Assert.False(other.Available);
        Assert.Contains("altered", other.UnavailableReason);
        await (await Client.PostJsonAsync("/models/copy-b/forecast", History)).ProblemAsync(HttpStatusCode.Conflict);

        Factory.OverwriteWeights(sha, intact);
        Assert.True((await WaitForVersionAsync("copy-b", 1, v => v.Available)).Available);
        Assert.True((await WaitForVersionAsync("copy-a", 1, v => v.Available)).Available);
        Assert.Equal(1, (await ForecastAsync("copy-b")).Version);
    }
}

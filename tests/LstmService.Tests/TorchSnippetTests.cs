using System.Diagnostics;
using System.Net;
using LstmService.Training;

namespace LstmService.Tests;

/// <summary>
/// The README's Python snippet (docs/torch_forecast.py, shown in the README as it is): it loads a version's state_dict export
/// into torch.nn.LSTM (or nn.GRU) + nn.Linear and reproduces the service's forecast, run here against the service on a loopback port
/// (the browser fixture's Kestrel host; no browser is used).
/// </summary>
public sealed class TorchSnippetTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Repository() => RepositoryRoot.Find();

    [Fact]
    public void The_readme_shows_the_script_as_it_is()
    {
        var root = Repository();
        var script = File.ReadAllText(Path.Combine(root, "docs", "torch_forecast.py")).ReplaceLineEndings("\n").TrimEnd();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains("```python\n" + script + "\n```", readme);
    }

    [TorchFact]
    public Task The_snippet_reproduces_a_forecast_of_a_version_trained_without_statistics() =>
        // The README's command: the bundled sunspots with "statistics": false.
        Reproduce("torch-demo", ("horizon", "10"), ("statistics", "false"));

    [TorchFact]
    public Task The_snippet_reproduces_a_forecast_of_a_gru_version() =>
        // The same through torch.nn.GRU: the export's gru.* tensors load into it as they are.
        Reproduce("torch-gru", ("horizon", "10"), ("statistics", "false"), ("cell", "gru"));

    private async Task Reproduce(string model, params (string Name, string Value)[] fields)
    {
        var response = await fixture.Client.PostCsvAsync(model, await File.ReadAllBytesAsync(Api.SunspotsCsvPath), fields);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await fixture.Client.WaitForEndAsync((await response.ReadAsync<TrainingJobResponse>()).Id, timeoutSeconds: 300);
        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);

        var start = new ProcessStartInfo(TorchFactAttribute.Python!, [Path.Combine(Repository(), "docs", "torch_forecast.py")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["LSTM_URL"] = fixture.Address.ToString().TrimEnd('/'), ["LSTM_MODEL"] = model },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "The script did not finish within two minutes.");
        Assert.True(process.ExitCode == 0, await output + await error);
        Assert.Matches(@"largest difference \d", await output);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using LstmService.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LstmService.Tests;

/// <summary>What a training job logs stays one short line however many series it has: log shippers split or drop long ones.</summary>
public sealed class LogLineTests
{
    [Fact]
    public async Task A_csv_of_forty_columns_logs_its_upload_and_its_start_without_listing_every_series()
    {
        var logs = new CapturingLoggerProvider(LogLevel.Information);
        await using var factory = new LstmServiceFactory(services: s => s.AddSingleton<ILoggerProvider>(logs));
        var client = factory.CreateClient();
        var csv = new StringBuilder("month," + string.Join(",", Enumerable.Range(0, 40).Select(i => $"store{i}")) + "\n");
        for (int t = 0; t < 30; t++)
            csv.Append($"{2020 + t / 12}-{t % 12 + 1:D2}," + string.Join(",", Enumerable.Range(0, 40).Select(i => (10 + i + Math.Sin(t + i)).ToString("F3", System.Globalization.CultureInfo.InvariantCulture))) + "\n");
        var response = await client.PostCsvAsync("wide", csv.ToString(), ("horizon", "2"), ("epochs", "1"), ("hiddenSize", "4"), ("ensemble", "1"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.ReadAsync<TrainingJobResponse>();
        await client.WaitForEndAsync(job.Id);

        var upload = Assert.Single(logs.Messages, m => m.StartsWith("CSV upload for model wide", StringComparison.Ordinal));
        Assert.Contains("store0, store1", upload);
        Assert.Contains("store9 and 30 more", upload);
        Assert.DoesNotContain("store39", upload);
        // The settings without their timing, one entry per series, which the version keeps.
        var started = Assert.Single(logs.Messages, m => m.Contains("for model wide started: 40 series", StringComparison.Ordinal));
        Assert.DoesNotContain(nameof(LstmService.Registry.SeriesTiming), started);
        Assert.Equal(40, (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/models/wide/versions/1")).GetProperty("timing").GetProperty("series").GetArrayLength());
    }
}

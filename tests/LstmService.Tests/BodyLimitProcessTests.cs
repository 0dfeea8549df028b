using System.Net;
using System.Text;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>The body limit under Kestrel itself (the test server enforces it in the service's own middleware instead).</summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class BodyLimitProcessTests : IDisposable
{
    private readonly string _data = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_data);

    [Fact]
    public async Task A_chunked_body_over_the_limit_answers_413_naming_the_setting()
    {
        await using var service = await ServiceProcess.StartAsync(_data, new Dictionary<string, string> { ["RequestLimits:MaxBodyBytes"] = "2000" });
        var body = JsonSerializer.Serialize(new { series = new[] { new { history = Enumerable.Repeat(1.5, 5000) } } });
        Assert.True(body.Length > 2000);
        // Chunked: no Content-Length, so only reading the body finds the excess.
        var request = new HttpRequestMessage(HttpMethod.Post, "/models/any/forecast") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;
        var response = await service.Client.SendAsync(request);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("RequestLimits:MaxBodyBytes", problem.GetProperty("detail").GetString());
    }
}

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
        // Kestrel's own 413 carries the title every other 413 has (it had said "Content Too Large").
        Assert.Equal("Request body too large", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_compressed_body_is_held_to_the_limit_once_decompressed()
    {
        await using var service = await ServiceProcess.StartAsync(_data, new Dictionary<string, string> { ["RequestLimits:MaxBodyBytes"] = "2000" });
        // 200 KB of JSON that gzip makes a few hundred bytes: under the limit as sent, far over it as read.
        var json = JsonSerializer.Serialize(new { series = new[] { new { history = Enumerable.Repeat(1.5, 50_000) } } });
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(json));
        Assert.True(buffer.Length < 2000, $"{buffer.Length} bytes compressed");
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await service.Client.PostAsync("/models/any/forecast", content);
        var problem = await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("RequestLimits:MaxBodyBytes", problem.GetProperty("detail").GetString());
        Assert.Equal("Request body too large", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Kestrel_names_no_server_and_every_answer_forbids_sniffing_and_framing()
    {
        await using var service = await ServiceProcess.StartAsync(_data);
        var malformed = new HttpRequestMessage(HttpMethod.Post, "/models/none/forecast") { Content = new StringContent("{\"series\":", Encoding.UTF8, "application/json") };
        foreach (var request in new[] { "/", "/swagger/index.html", "/health/live", "/models/none" }.Select(p => new HttpRequestMessage(HttpMethod.Get, p)).Append(malformed))
        {
            var path = request.RequestUri!.ToString();
            var response = await service.Client.SendAsync(request); // the malformed body's 400 is written by the exception handler
            Assert.False(response.Headers.Contains("Server"), $"{path} names its server");
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
            Assert.Equal(["frame-ancestors 'none'"], response.Headers.GetValues("Content-Security-Policy"));
        }
    }

    [Fact]
    public async Task Head_sends_get_s_headers_without_its_body()
    {
        await using var service = await ServiceProcess.StartAsync(_data);
        foreach (var (path, status) in new[] { ("/models", HttpStatusCode.OK), ("/openapi/v1.json", HttpStatusCode.OK), ("/models/none", HttpStatusCode.NotFound) })
        {
            var get = await service.Client.GetAsync(path);
            var head = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(status, head.StatusCode);
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_heavy_request_whose_body_trickles_is_ended_and_frees_its_slot()
    {
        await using var service = await ServiceProcess.StartAsync(_data, new Dictionary<string, string>
        {
            ["HeavyRequests:MaxConcurrent"] = "1",
            ["HeavyRequests:MinBodyBytesPerSecond"] = "2000",
            ["RateLimits:TrainingSubmitPermits"] = "0",
        });
        var address = service.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"POST /models/slow/training-jobs HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"series\":[{\"values\":["));
        // The slot is taken (once the server has read the headers): a second heavy request is refused meanwhile.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode second;
        do
        {
            await Task.Delay(200);
            second = (await service.Client.PostAsync("/models/other/training-jobs", JsonContent(Api.TinyTraining()))).StatusCode;
        } while (second != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second);

        // 800 bytes a second: above Kestrel's own floor (240 B/s), below this one; after the 5 s grace period Kestrel answers
        // 408 and closes (the 100,000-byte body would otherwise hold the slot for two minutes).
        var answer = new StringBuilder();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && !read.IsCompleted)
        {
            try { await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,", 10)))); }
            catch (IOException) { break; }
            await Task.WhenAny(read, Task.Delay(500));
        }
        int n = await read.WaitAsync(TimeSpan.FromSeconds(10));
        answer.Append(Encoding.ASCII.GetString(buffer, 0, n));
        Assert.StartsWith("HTTP/1.1 408", answer.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"ended after {watch.Elapsed.TotalSeconds:F1} s");

        // The slot is free again.
        var accepted = await service.Client.PostAsync("/models/other/training-jobs", JsonContent(Api.TinyTraining()));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body, Api.Json), Encoding.UTF8, "application/json");
}


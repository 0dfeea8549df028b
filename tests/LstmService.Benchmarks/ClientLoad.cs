using System.Diagnostics;
using System.Text;

namespace LstmService.Benchmarks;

/// <summary>Closed-loop load from this process: one task per connection, each on its own HttpClient.</summary>
internal static class ClientLoad
{
    public static LoadResult Run(string url, string? body, int connections, double seconds)
    {
        var latencies = new List<double>[connections];
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
            var mine = latencies[c] = new List<double>(100_000);
            var bytes = body is null ? null : Encoding.UTF8.GetBytes(body);
            while (Stopwatch.GetTimestamp() < end)
            {
                long t0 = Stopwatch.GetTimestamp();
                HttpResponseMessage r;
                if (bytes is null) r = await client.GetAsync(url);
                else
                {
                    var content = new ByteArrayContent(bytes);
                    content.Headers.ContentType = new("application/json");
                    r = await client.PostAsync(url, content);
                }
                await r.Content.ReadAsByteArrayAsync();
                if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)r.StatusCode}");
                r.Dispose();
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })).ToArray();
        Task.WaitAll(tasks);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length / seconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], connections, all.Length);
    }
}

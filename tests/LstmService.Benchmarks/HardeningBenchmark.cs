using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

using static LstmService.Benchmarks.ServiceHost;

namespace LstmService.Benchmarks;

/// <summary>
/// Peak resident memory (VmHWM) of the Release build of src/LstmService, started as its own process per case (Production
/// settings, a fresh data directory), for the inputs issue 16 names: a forecast body just under the 64 MiB limit, a 1 KB
/// state_dict that declares 8192 hidden units in 3 layers, a 200 KB CSV header of stray quotes (time to answer), and one
/// training job on a single 100,000-point series (horizon 12, inputWindow 48, hiddenSize 16, one epoch).
/// Usage: dotnet run -c Release --project tests/LstmService.Benchmarks -- hardening [--validation-fraction F]
/// (F for the 100,000-point job, default 0.01: the backtest forecasts every validation origin from its whole history, so its
/// time grows with the square of the series' length; 0.2, the service's default, takes many minutes.)
/// </summary>
static class HardeningBenchmark
{
    public static int Run(string[] args)
    {
        double validationFraction = 0.2;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--validation-fraction" && i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var f)) { validationFraction = f; i++; }
            else { Console.Error.WriteLine($"Unknown option '{args[i]}'. Options: --validation-fraction F (default 0.01)."); return 2; }
        }
        var dll = ServiceDll();
        if (!File.Exists(dll)) { Console.Error.WriteLine($"{dll} is missing: build src/LstmService in Release first."); return 2; }
        Console.WriteLine($"# lstmservice hardening benchmark  cores={Environment.ProcessorCount}  peak RSS = VmHWM of the service process");
        Console.WriteLine("| case | answer | time | idle RSS | peak RSS |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Case("forecast body just under 64 MiB (10,000 series)", dll, client =>
        {
            Register(client, "bench");
            var body = ForecastBody(64L * 1024 * 1024);
            return (Post(client, "/models/bench/forecast", body, "application/json"), $"{body.Length / (1024.0 * 1024):F1} MiB body");
        });
        Case("1 KB state_dict declaring 3 layers of 8192 units", dll, client =>
            (Post(client, "/models/huge/versions", Encoding.UTF8.GetBytes(HugeShapes()), "application/json"), ""));
        Case("CSV header 'a' + x\" x 100,000 (200 KB)", dll, client =>
        {
            var csv = "a" + string.Concat(Enumerable.Repeat("x\"", 100_000)) + "\n";
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
            file.Headers.ContentType = new("text/csv");
            form.Add(file, "file", "data.csv");
            using var response = client.PostAsync("/models/csv/training-jobs", form).Result;
            return ((int)response.StatusCode, "");
        });
        Case($"training on 100,000 points (validationFraction {validationFraction.ToString(CultureInfo.InvariantCulture)})", dll, client =>
        {
            var request = new
            {
                series = new[] { new { id = "large", values = Enumerable.Range(0, 100_000).Select(t => Math.Round(50 + 10 * Math.Sin(2 * Math.PI * t / 12) + 0.0001 * t, 3)).ToArray() } },
                horizon = 12, inputWindow = 48, hiddenSize = 16, epochs = 1, ensemble = 1, validationFraction,
                cell = "lstm", // the README's figure was measured with an LSTM, the default cell before the GRU
            };
            using var response = client.PostAsync("/models/large/training-jobs", new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json")).Result;
            if (response.StatusCode != HttpStatusCode.Accepted) return ((int)response.StatusCode, response.Content.ReadAsStringAsync().Result);
            var id = JsonDocument.Parse(response.Content.ReadAsStringAsync().Result).RootElement.GetProperty("id").GetString();
            while (true)
            {
                Thread.Sleep(500);
                var job = JsonDocument.Parse(client.GetStringAsync($"/training-jobs/{id}").Result).RootElement;
                var status = job.GetProperty("status").GetString();
                if (status is "succeeded" or "failed" or "cancelled") return (status == "succeeded" ? 200 : 500, status!);
            }
        });
        return 0;
    }

    static void Case(string name, string dll, Func<HttpClient, (int Status, string Note)> work)
    {
        var data = Path.Combine(Path.GetTempPath(), "lstmservice-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        int port = FreePort();
        using var process = ServiceHost.Start(dll, port, data,
            "--RateLimits:TrainingSubmitPermits=0", "--RateLimits:ForecastPermits=0", "--RateLimits:ForecastPointPermits=0", "--Serilog:MinimumLevel=Warning");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(30) };
            WaitUntilLive(client, process);
            long idle = PeakResidentBytes(process.Id);
            var clock = Stopwatch.StartNew();
            var (status, note) = work(client);
            var elapsed = clock.Elapsed;
            long peak = PeakResidentBytes(process.Id);
            Console.WriteLine($"| {name} | {status}{(note.Length > 0 ? $" ({note})" : "")} | {elapsed.TotalSeconds:F1} s | {idle / (1 << 20)} MiB | {peak / (1 << 20)} MiB |");
        }
        finally
        {
            if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(); }
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    static void Register(HttpClient client, string model)
    {
        // A one-unit network reading 8 values (the API's own example): the body, not the model, is what is measured.
        const string stateDict = """
            {"stateDict":{"lstm.weight_ih_l0":{"shape":[4,1],"data":[0.5,0.1,-0.2,0.3]},"lstm.weight_hh_l0":{"shape":[4,1],"data":[0.1,0.0,0.2,-0.1]},
            "lstm.bias_ih_l0":{"shape":[4],"data":[0.0,1.0,0.0,0.0]},"lstm.bias_hh_l0":{"shape":[4],"data":[0.0,0.0,0.0,0.0]},
            "head.weight":{"shape":[1,1],"data":[1.0]},"head.bias":{"shape":[1],"data":[0.0]}},"inputWindow":8,"horizon":1}
            """;
        int status = Post(client, $"/models/{model}/versions", Encoding.UTF8.GetBytes(stateDict), "application/json");
        if (status != 201) throw new InvalidOperationException($"Registering answered {status}.");
    }

    /// <summary>10,000 series (Forecast:MaxSeries) with as many values each as fit under <paramref name="limit"/>.</summary>
    static byte[] ForecastBody(long limit)
    {
        int values = (int)((limit - 64) / 10_000 / 7.0) - 3; // "dd.ddd," per value
        while (true)
        {
            var body = ForecastBodies.Build(10_000, values, horizon: null);
            if (body.Length <= limit) return body;
            values -= 2;
        }
    }

    static string HugeShapes()
    {
        const int hidden = 8192, layers = 3;
        var tensors = new List<string>();
        for (int l = 0; l < layers; l++)
        {
            int width = l == 0 ? 1 : hidden;
            tensors.Add($"\"lstm.weight_ih_l{l}\":{{\"shape\":[{4 * hidden},{width}],\"data\":[]}}");
            tensors.Add($"\"lstm.weight_hh_l{l}\":{{\"shape\":[{4 * hidden},{hidden}],\"data\":[]}}");
            tensors.Add($"\"lstm.bias_ih_l{l}\":{{\"shape\":[{4 * hidden}],\"data\":[]}}");
            tensors.Add($"\"lstm.bias_hh_l{l}\":{{\"shape\":[{4 * hidden}],\"data\":[]}}");
        }
        tensors.Add($"\"head.weight\":{{\"shape\":[1,{hidden}],\"data\":[]}}");
        tensors.Add("\"head.bias\":{\"shape\":[1],\"data\":[]}");
        return "{\"inputWindow\":12,\"horizon\":1,\"stateDict\":{" + string.Join(",", tensors) + "}}";
    }

    static int Post(HttpClient client, string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        using var response = client.PostAsync(path, content).Result;
        response.Content.ReadAsByteArrayAsync().Result.AsSpan();
        return (int)response.StatusCode;
    }
}

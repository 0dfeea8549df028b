using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// Generated hostile bodies (random JSON types, deep nesting, huge numbers and declared shapes, odd names, wrong content
/// types, CSV files with quoted newlines, a BOM, a million columns) sent to every POST and PUT endpoint: none may answer
/// 5xx, and the registry's models, versions and aliases stay as they were. Seeded, so a failure replays exactly.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private const int Seed = 20261130;
    private const int Requests = 1200;

    private static readonly string[] Keys =
    [
        "series", "values", "history", "id", "covariates", "horizon", "inputWindow", "hiddenSize", "layers", "ensemble", "epochs",
        "batchSize", "quantiles", "scaling", "strategy", "futureCovariates", "seed", "search", "stateDict", "shape", "data", "version",
        "lstm.weight_ih_l0", "lstm.weight_hh_l0", "head.weight", "_forecast", "", "__proto__", "$ref", "a\nb", "💥", "\u0000", new string('k', 300),
    ];

    private static readonly string[] Names =
    [
        // Only the existing model and names the service refuses: a lucky valid submit to a new name would create a model (EnsureModel).
        "base", "base", "base", "base", "a%0A", "%01", "..", "a%20b", new string('n', 300), "%F0%9F%92%A5", "%2F", "a%0D%0A",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-16", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data", "text/csv", "application/json-patch+json", "",
    ];

    [Fact]
    public async Task A_thousand_hostile_bodies_answer_no_5xx_and_change_nothing_stored()
    {
        var before = await Snapshot();
        var random = new Random(Seed);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var (method, url, content, what) = Next(random, i);
            using var request = new HttpRequestMessage(method, url) { Content = content };
            using var response = await fixture.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500) failures.Add($"#{i} {method} {url} ({what}): {status} {Truncate(await response.Content.ReadAsStringAsync())}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} answered 5xx:\n" + string.Join("\n", failures.Take(10)));
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 3, "The bodies should reach several kinds of refusal: " + string.Join(", ", statuses));
        Assert.Equal(before, await Snapshot());
    }

    /// <summary>Every model with its versions (number and weights hash) and aliases, as one string.</summary>
    private async Task<string> Snapshot()
    {
        var text = new StringBuilder();
        using var models = JsonDocument.Parse(await fixture.Client.GetStringAsync("/models"));
        foreach (var model in models.RootElement.EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order(StringComparer.Ordinal))
        {
            using var detail = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/models/{Uri.EscapeDataString(model)}"));
            text.Append(model).Append(": ").Append(detail.RootElement.GetProperty("versions").GetRawText())
                .Append(' ').Append(detail.RootElement.GetProperty("aliases").GetRawText()).Append('\n');
            foreach (var v in detail.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()))
            {
                using var version = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/models/{Uri.EscapeDataString(model)}/versions/{v}"));
                text.Append("  ").Append(v).Append(' ').Append(version.RootElement.GetProperty("weights").GetProperty("sha256").GetString()).Append('\n');
            }
        }
        return text.ToString();
    }

    private static (HttpMethod, string, HttpContent?, string) Next(Random random, int i)
    {
        var name = Pick(random, Names);
        var target = random.Next(6);
        var (method, url) = target switch
        {
            0 => (HttpMethod.Post, $"/models/{name}/versions"),
            // A valid alias name other than prod would create an alias from a lucky {"version":1}: only prod, and odd names.
            1 => (HttpMethod.Put, $"/models/{name}/aliases/{Pick(random, ["prod", "a%0A", "%01", new string('x', 300), "a%20b"])}"),
            2 => (HttpMethod.Post, $"/models/{name}/forecast{Pick(random, ["", "?version=1", "?alias=prod", "?version=-1", "?version=99999999999", "?alias=%01", "?version=1&alias=prod", "?version=abc"])}"),
            3 or 4 => (HttpMethod.Post, $"/models/{name}/training-jobs"),
            _ => (HttpMethod.Post, $"/training-jobs/{Pick(random, [Guid.NewGuid().ToString(), "not-a-guid", "00000000-0000-0000-0000-000000000000"])}/cancel"),
        };
        // Every tenth request to the training endpoint is a CSV upload; the rest of the bodies are JSON-ish.
        if (target == 4 && random.Next(2) == 0) return (method, url, Csv(random), "csv");
        var kind = random.Next(10);
        string body = kind switch
        {
            0 => DeepNesting(random),
            1 => HugeShapes(random),
            2 => Truncate(Value(random, 0), random.Next(1, 200)),
            3 => Pick(random, ["", "null", "[]", "{}", "\"\"", "1e400", "-0", "123456789012345678901234567890", "true", "{\"series\":null}", "{\"series\":[null]}"]),
            _ => Value(random, 0, top: true),
        };
        var contentType = Pick(random, ContentTypes);
        var bytes = Encoding.UTF8.GetBytes(body);
        if (random.Next(20) == 0) bytes = [0xEF, 0xBB, 0xBF, .. bytes]; // a BOM
        if (random.Next(30) == 0) bytes = [.. bytes, 0xC3, 0x28, 0xFF]; // invalid UTF-8
        var content = new ByteArrayContent(bytes);
        if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return (method, url, content, $"json kind {kind}, {contentType}, {bytes.Length} bytes");
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A random JSON value; at the top, mostly an object with the endpoints' own field names so the bodies get past the parser.</summary>
    private static string Value(Random random, int depth, bool top = false)
    {
        var kind = top ? (random.Next(4) == 0 ? random.Next(9) : 7) : random.Next(depth > 4 ? 6 : 9);
        switch (kind)
        {
            case 0: return "null";
            case 1: return random.Next(2) == 0 ? "true" : "false";
            case 2: return Number(random);
            case 3: return JsonSerializer.Serialize(Pick(random, ["", "x", "NaN", "Infinity", "1", "directdirect", "seriesZScore", "\u0000\u202e", new string('s', 5000), "💥💥"]));
            case 4: return Number(random);
            case 5: return JsonSerializer.Serialize(Pick(random, Keys));
            case 6:
                // Now and then a long array of numbers (a series' values); otherwise short ones of anything.
                if (random.Next(4) == 0) return "[" + string.Join(",", Enumerable.Range(0, random.Next(2_000)).Select(_ => random.Next(8) == 0 ? "null" : Number(random))) + "]";
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(6)).Select(_ => Value(random, depth + 1))) + "]";
            default:
                var fields = Enumerable.Range(0, random.Next(1, 8)).Select(_ => JsonSerializer.Serialize(Pick(random, Keys)) + ":" + Value(random, depth + 1));
                return "{" + string.Join(",", fields) + "}";
        }
    }

    private static string Number(Random random) => Pick(random,
    [
        "0", "1", "-1", "3", "12", "1024", "8192", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e308", "-1e308",
        "1e400", "1e-400", "0.5", "-0.0", "3.4028236e38", "123456789012345678901234567890.5", "1E+2", random.Next().ToString(),
        (random.NextDouble() * 1e6).ToString(System.Globalization.CultureInfo.InvariantCulture),
    ]);

    private static string DeepNesting(Random random)
    {
        var depth = Pick(random, [64, 65, 1000, 20_000]);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"series\":", depth)) + "1" + new string('}', depth);
    }

    private static string HugeShapes(Random random)
    {
        var dim = Pick(random, ["2147483647", "4294967296", "-1", "0", "1e20", "32768", "9223372036854775807", "\"8\"", "null", "1.5"]);
        var tensors = string.Join(",", new[] { "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "head.weight", "head.bias" }
            .Where(_ => random.Next(5) > 0)
            .Select(k => $"\"{k}\":{{\"shape\":[{dim},{Pick(random, ["1", dim, "8192"])}],\"data\":{Pick(random, ["[]", "[1,2,3]", "null", "{}"])}}}"));
        return $"{{\"inputWindow\":{Number(random)},\"horizon\":{Number(random)},\"stateDict\":{{{tensors}}}}}";
    }

    private static readonly Lazy<string> MillionColumns = new(() =>
        string.Join(",", Enumerable.Range(0, 1_000_000).Select(c => "c")) + "\n" + string.Join(",", Enumerable.Repeat("1", 1_000_000)));

    private static HttpContent Csv(Random random)
    {
        var csv = random.Next(8) switch
        {
            0 => "time,value\n2020-01-01,\"1\n2\"\n2020-01-02,3\n",
            1 => "\uFEFFtime,value\n" + string.Join("\n", Enumerable.Range(0, 50).Select(t => $"2020-01-{t % 28 + 1:00},{t}")),
            2 => "a" + string.Concat(Enumerable.Repeat("x\"", 5000)),
            3 => random.Next(10) == 0 ? MillionColumns.Value : string.Join(",", Enumerable.Range(0, 2_000).Select(c => "c")) + "\n" + string.Join(",", Enumerable.Repeat("1", 2_000)),
            4 => "\"unterminated,value\n1,2\n",
            5 => "value\n" + string.Join("\n", Enumerable.Range(0, 100).Select(t => random.Next(3) == 0 ? "\"x\"\"y\"" : "1e999")),
            6 => "",
            _ => "time,value\r\n" + string.Join("\r\n", Enumerable.Range(0, 60).Select(t => $"{t},\"{Math.Sin(t)}\"")),
        };
        var form = new MultipartFormDataContent();
        var bytes = Encoding.UTF8.GetBytes(csv);
        var file = new ByteArrayContent(random.Next(6) == 0 ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(Pick(random, ["text/csv", "application/octet-stream", "application/json"]));
        form.Add(file, Pick(random, ["file", "file", "data", "FILE"]), "series.csv");
        foreach (var _ in Enumerable.Range(0, random.Next(4)))
            form.Add(new StringContent(Pick(random, ["1", "-5", "abc", "1e400", "", "[1,2]", "{\"a\":1}", "true"])), Pick(random, Keys.Take(18).ToArray()));
        return form;
    }

    private static string Truncate(string text, int length = 300) => text.Length <= length ? text : text[..length];
}

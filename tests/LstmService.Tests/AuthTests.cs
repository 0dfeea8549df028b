using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace LstmService.Tests;

/// <summary>One service with a read key and a write key (Auth:ApiKeys as SHA-256 hashes).</summary>
public sealed class AuthFixture() : ServiceFixture(Settings)
{
    public const string ReadKey = "read-key-0123456789", WriteKey = "write-key-9876543210";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static Dictionary<string, string?> Settings => new()
    {
        ["Auth:ApiKeys:0:Sha256"] = Hash(ReadKey),
        ["Auth:ApiKeys:0:Role"] = "read",
        ["Auth:ApiKeys:0:Name"] = "dashboard",
        // Upper-case hex is accepted too (sha256sum prints lower case, other tools upper).
        ["Auth:ApiKeys:1:Sha256"] = Hash(WriteKey).ToUpperInvariant(),
        ["Auth:ApiKeys:1:Role"] = "write",
    };
}

public sealed class AuthTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    public enum Need { Open, Read, Write }

    private static readonly string Job = Guid.NewGuid().ToString();

    /// <summary>Every endpoint: method, path, body (null for none) and the role it needs. Paths name nothing that exists, so no call changes state.</summary>
    public static TheoryData<string, string, string?, Need> Endpoints => new()
    {
        { "GET", "/health/live", null, Need.Open },
        { "GET", "/health/ready", null, Need.Open },
        { "GET", "/openapi/v1.json", null, Need.Open },
        { "GET", "/swagger/index.html", null, Need.Open },
        { "GET", "/", null, Need.Open },
        { "GET", "/models", null, Need.Read },
        { "GET", "/models/nothing", null, Need.Read },
        { "GET", "/models/nothing/versions/1", null, Need.Read },
        { "GET", "/models/nothing/versions/1/weights", null, Need.Read },
        { "POST", "/models/nothing/forecast", """{"series":[{"history":[1,2,3]}]}""", Need.Read },
        { "GET", "/training-jobs", null, Need.Read },
        { "GET", $"/training-jobs/{Job}", null, Need.Read },
        { "GET", $"/training-jobs/{Job}/events", null, Need.Read },
        { "POST", "/models/nothing/training-jobs", """{"series":[]}""", Need.Write },
        { "POST", $"/training-jobs/{Job}/cancel", null, Need.Write },
        { "POST", "/models/nothing/versions", """{"stateDict":{}}""", Need.Write },
        { "DELETE", "/models/nothing", null, Need.Write },
        { "DELETE", "/models/nothing/versions/1", null, Need.Write },
        { "PUT", "/models/nothing/aliases/production", """{"version":1}""", Need.Write },
        { "DELETE", "/models/nothing/aliases/production", null, Need.Write },
        { "GET", "/v2/health/live", null, Need.Open },
        { "GET", "/v2/health/ready", null, Need.Open },
        { "GET", "/v2", null, Need.Read },
        { "GET", "/v2/models/nothing", null, Need.Read },
        { "GET", "/v2/models/nothing/versions/1/ready", null, Need.Read },
        { "POST", "/v2/models/nothing/versions/1/infer", """{"inputs":[]}""", Need.Read },
    };

    private Task<HttpResponseMessage> Send(string method, string path, string? body, Action<HttpRequestHeaders>? auth)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        auth?.Invoke(request.Headers);
        return fixture.Client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Authorisation_matrix(string method, string path, string? body, Need need)
    {
        var none = await Send(method, path, body, null);
        var read = await Send(method, path, body, h => h.Add("X-Api-Key", AuthFixture.ReadKey));
        var write = await Send(method, path, body, h => h.Authorization = new AuthenticationHeaderValue("Bearer", AuthFixture.WriteKey));

        if (need == Need.Open) Assert.True(none.IsSuccessStatusCode || (int)none.StatusCode is >= 300 and < 400, $"{method} {path}: {none.StatusCode}");
        else
        {
            var problem = await none.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
            Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString());
        }

        if (need == Need.Write)
        {
            var problem = await read.ProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("'write' role", problem.GetProperty("detail").GetString());
        }
        else Assert.DoesNotContain(read.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });

        // The write key reaches every handler (which answers 400 or 404: nothing named here exists).
        Assert.DoesNotContain(write.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        if (need != Need.Open) Assert.True((int)write.StatusCode is 200 or 400 or 404, $"{method} {path}: {write.StatusCode}");
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/favicon.ico")]
    [InlineData("/dashboard/a/b")]
    [InlineData("/models/x/y/z")]
    [InlineData("/no-such-endpoint")]
    public async Task A_path_no_endpoint_serves_answers_404_without_a_key(string path)
    {
        // It had answered 401 "API key required", as if the key were what was missing.
        Assert.Equal(HttpStatusCode.NotFound, (await Send("GET", path, null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("GET", "/models", null, null)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_answers_401_saying_so()
    {
        var response = await Send("GET", "/models", null, h => h.Add("X-Api-Key", "not-a-key"));
        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", problem.GetProperty("detail").GetString());
        Assert.Equal("Invalid API key", problem.GetProperty("title").GetString());
        // A Bearer token in another scheme's clothing (Basic) is no key.
        var basic = await Send("GET", "/models", null, h => h.Authorization = new AuthenticationHeaderValue("Basic", AuthFixture.WriteKey));
        await basic.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_read_key_beside_a_write_key_is_the_one_read_and_the_403_says_so()
    {
        var response = await Send("DELETE", "/models/absent", null, h =>
        {
            h.Add("X-Api-Key", AuthFixture.ReadKey);
            h.Authorization = new AuthenticationHeaderValue("Bearer", AuthFixture.WriteKey);
        });
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Two keys were sent: the one in X-Api-Key is read", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OpenApi_declares_both_ways_to_send_a_key_and_each_operation_s_role()
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());

        string Role(string path, string method) =>
            document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security")[0].GetProperty("ApiKey")[0].GetString()!;
        Assert.Equal("write", Role("/models/{name}", "delete"));
        Assert.Equal("read", Role("/models/{name}", "get"));
        Assert.Equal("read", Role("/models/{name}/forecast", "post"));
        Assert.Equal("write", Role("/models/{name}/training-jobs", "post"));
        Assert.False(document.GetProperty("paths").GetProperty("/health/ready").GetProperty("get").TryGetProperty("security", out _));
    }
}

public sealed class AuthConfigurationTests
{
    [Theory]
    [InlineData("Auth:ApiKeys:0:Sha256", "my-secret-key", "Auth:ApiKeys:0:Sha256")]
    [InlineData("Auth:ApiKeys:0:Sha256", "abc", "Auth:ApiKeys:0:Sha256")] // shorter than a default name's 8 digits
    [InlineData("Auth:ApiKeys:0:Sha256", "zz0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd", "Auth:ApiKeys:0:Sha256")]
    [InlineData("Auth:ApiKeys:0:Role", "admin", "Auth:ApiKeys:0:Role")]
    // Entries numbered with gaps (a key taken out of a secret) are named as given: the binder's list has closed them up.
    [InlineData("Auth:ApiKeys:2:Role", "admin", "Auth:ApiKeys:2:Role")]
    [InlineData("Auth:ApiKeys:7:Sha256", "my-secret-key", "Auth:ApiKeys:7:Sha256")]
    public async Task A_bad_key_setting_stops_the_service_naming_it_without_echoing_it(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash("k"),
            ["Auth:ApiKeys:0:Role"] = "read",
            [key] = value,
        };
        var error = (await LstmServiceFactory.StartupErrorAsync(settings)).ToString();
        Assert.Contains(named, error);
        if (key.EndsWith("Sha256", StringComparison.Ordinal)) Assert.DoesNotContain(value, error);
    }

    [Fact]
    public async Task A_role_with_a_stray_space_is_refused_quoting_it_and_one_in_capitals_is_taken()
    {
        // A space or a carriage return (an env file edited on Windows) had been refused as "must be 'read' or 'write'", which
        // is what the operator believed they had set; "Write" had been refused where Logs:Format takes "JSON".
        var spaced = new Dictionary<string, string?> { ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash("k"), ["Auth:ApiKeys:0:Role"] = "write\r" };
        var error = (await LstmServiceFactory.StartupErrorAsync(spaced)).ToString();
        Assert.Contains("Auth:ApiKeys:0:Role must be 'read' or 'write' (it is 'write\\r').", error);

        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash("k"),
            ["Auth:ApiKeys:0:Role"] = "Write",
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "k");
        var job = await client.PostAsJsonAsync("/models/capital/training-jobs", Api.TinyTraining(epochs: 1));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, job.StatusCode);
    }

    [Fact]
    public async Task The_hash_of_an_empty_key_stops_the_service_asking_whether_its_variable_was_unset()
    {
        // printf %s "$KEY" | sha256sum in a shell where KEY was never set: compose's :? check passes a hash that is not empty.
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0:Sha256"] = AuthFixture.Hash("k"),
            ["Auth:ApiKeys:0:Role"] = "read",
            ["Auth:ApiKeys:1:Sha256"] = AuthFixture.Hash(""),
            ["Auth:ApiKeys:1:Role"] = "write",
        };
        var error = (await LstmServiceFactory.StartupErrorAsync(settings)).ToString();
        Assert.Contains("Auth:ApiKeys:1:Sha256 is the hash of an empty key", error);
        Assert.Contains("unset", error);
    }

    [Fact]
    public async Task Without_keys_the_service_is_open_and_warns_at_start()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new LstmServiceFactory(services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/models")).StatusCode);
        Assert.Contains(logs.Messages, m => m.Contains("Auth:ApiKeys", StringComparison.Ordinal) && m.Contains("open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_configured_in_place_of_its_hash_is_refused_and_the_operator_told_once()
    {
        // A key made with openssl rand -hex 32 has a hash's form, so the start cannot tell it pasted in the hash's place.
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var logs = new CapturingLoggerProvider();
        await using var factory = new LstmServiceFactory(
            settings: new Dictionary<string, string?> { ["Auth:ApiKeys:0:Sha256"] = key, ["Auth:ApiKeys:0:Role"] = "write" },
            services: s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/models")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/models")).StatusCode);
        var told = Assert.Single(logs.Messages, m => m.Contains("in place of its SHA-256 hash", StringComparison.Ordinal));
        Assert.Contains("Auth:ApiKeys:0:Sha256", told);
        Assert.DoesNotContain(key, told);
    }
}

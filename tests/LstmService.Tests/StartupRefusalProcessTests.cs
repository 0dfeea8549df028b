using System.Text.Json;

namespace LstmService.Tests;

/// <summary>
/// A service that cannot start, run as an operator runs it (<see cref="ServiceProcess"/>): it exits with code 1 and says
/// why in one log line, naming each bad setting by its configuration path, without stack traces.
/// </summary>
[Collection(nameof(ServiceProcessCollection))]
public sealed class StartupRefusalProcessTests : IDisposable
{
    private readonly string _directory = LstmServiceFactory.NewDataDirectory();

    public void Dispose() => LstmServiceFactory.DeleteDirectory(_directory);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain(Lines(output), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Bad_settings_exit_with_code_1_and_one_line_that_names_each_of_them(string format)
    {
        var (exitCode, output) = await ServiceProcess.RefusedStartAsync(_directory, new Dictionary<string, string>
        {
            ["TrainingQueue:Capacity"] = "0",
            ["RateLimits:ForecastPermits"] = "-3",
            ["Streams:AnomalyLow"] = "0.9",
            ["Streams:AnomalyHigh"] = "1.5",
            // Read by the hosted services, which the host resolves before it validates: these had been named alone.
            ["ModelCache:MaxBytes"] = "-1",
            ["Storage:SyncIntervalMilliseconds"] = "0",
            ["Logs:Format"] = format,
        });

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        AssertNoStackTrace(output);
        var fatal = format == "json"
            ? Lines(output).Select(line => JsonDocument.Parse(line).RootElement) // every line is an event, none a trace
                .Where(e => e.TryGetProperty("@l", out var level) && level.GetString() == "Fatal")
                .Select(e => e.GetProperty("@m").GetString()!).ToArray()
            : Lines(output).Where(line => line.Contains(" FTL] ")).ToArray();
        var line = Assert.Single(fatal);
        Assert.Contains("The service cannot start", line);
        Assert.Contains("TrainingQueue:Capacity must be between 1 and 100000 (it is 0)", line);
        Assert.Contains("RateLimits:ForecastPermits must be between 0 and 1000000 (it is -3)", line);
        Assert.Contains("Streams:AnomalyLow", line);
        Assert.Contains("Streams:AnomalyHigh", line);
        Assert.Contains("ModelCache:MaxBytes must be between 0 and", line);
        Assert.Contains("Storage:SyncIntervalMilliseconds must be between 100 and 600000 (it is 0)", line);
        Assert.DoesNotContain(".;", line); // sentences, not "(it is 0.9).; The field ..."
    }

    [Theory]
    [InlineData("Auth:ApiKeys:0:Sha256", "the-key-itself", "Auth:ApiKeys:0:Sha256 must be the 64 hex digits of the key's SHA-256 hash")]
    [InlineData("TrainingQueue:Capacity", "many", "TrainingQueue:Capacity must be a whole number from -2147483648 to 2147483647 (it is 'many').")]
    public async Task A_key_in_place_of_its_hash_or_a_value_of_the_wrong_type_is_one_line_too(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string> { [key] = value };
        if (key.StartsWith("Auth:", StringComparison.Ordinal)) settings["Auth:ApiKeys:0:Role"] = "write";
        var (exitCode, output) = await ServiceProcess.RefusedStartAsync(_directory, settings);

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        AssertNoStackTrace(output);
        Assert.Contains(expected, Assert.Single(Lines(output), l => l.Contains(" FTL] ")));
        if (key.StartsWith("Auth:", StringComparison.Ordinal)) Assert.DoesNotContain(value, output); // a key pasted in place of its hash is not echoed
    }

    [Theory]
    // Read while the host is built (its shutdown timeout, Kestrel's body limit) or before it (Serilog's levels): these
    // crashed with an unhandled exception (exit code 134) and a stack trace.
    [InlineData("Shutdown:TimeoutSeconds", "-1", "Shutdown:TimeoutSeconds must be between 1 and 3600 (it is -1)")]
    [InlineData("TrustedProxies:Networks:0", "10.0.0.0/33", "TrustedProxies:Networks:0 must be a network in CIDR form")]
    [InlineData("RequestLimits:MaxBodyBytes", "0", "RequestLimits:MaxBodyBytes must be between 1024 and 9223372036854775807 (it is 0)")]
    [InlineData("Serilog:MinimumLevel:Default", "Loud", "Serilog:MinimumLevel:Default must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is 'Loud').")]
    // A sink Serilog cannot find had been skipped with a line in its self-log alone: the service logged nowhere it was told to.
    [InlineData("Serilog:WriteTo:0:Name", "Consle", "Serilog:WriteTo:0:Name names 'Consle', which is no sink, enricher or filter Serilog can find")]
    // The framework's own message had named no setting ("Configuration value 'Loud' is not supported.").
    [InlineData("Logging:LogLevel:Default", "Loud", "Logging:LogLevel:Default must be one of Trace, Debug, Information, Warning, Error, Critical or None (it is 'Loud').")]
    [InlineData("Logging:Console:LogLevel:Microsoft", "verbose", "Logging:Console:LogLevel:Microsoft must be one of Trace")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:99999", "a listening address (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls or Kestrel:Endpoints) has a port outside 0-65535")]
    // A port that is no number: the server had listened on port 80 without a word.
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:abc", "The listening address 'http://127.0.0.1:abc' (ASPNETCORE_URLS or --urls) has 'abc' where its port belongs.")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "8080;abc", "ASPNETCORE_HTTP_PORTS holds 'abc', which is not a port number.")]
    // An address no interface has (TEST-NET-1): Kestrel's "Cannot assign requested address" had come with a stack trace.
    [InlineData("ASPNETCORE_URLS", "http://192.0.2.1:9101", "names an IP address no network interface of this machine has")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:abc", "Kestrel:Endpoints:Http:Url 'http://127.0.0.1:abc' has 'abc' where its port belongs.")]
    public Task Settings_the_host_reads_while_it_is_built_are_one_line_too(string key, string value, string expected) =>
        AssertRefusedInOneLineAsync(key, value, expected);

    [Fact]
    public async Task A_settings_file_that_is_not_json_or_a_missing_content_root_is_one_line_too()
    {
        // Both fail before any logger exists: the process had aborted with exit code 134 and a stack trace.
        var root = Path.Combine(_directory, "content");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "appsettings.json"), "{ \"Logs\": { \"Format\": \"text\" \"Extra\": 1 } }");
        var line = await AssertRefusedInOneLineAsync("ASPNETCORE_CONTENTROOT", root, $"Failed to load configuration from file '{Path.Combine(root, "appsettings.json")}'");
        Assert.Contains("LineNumber: 0", line);
        await AssertRefusedInOneLineAsync("ASPNETCORE_CONTENTROOT", Path.Combine(_directory, "nowhere"), "is no directory");
    }

    [Fact]
    public Task A_data_directory_that_is_a_file_is_named_in_one_line()
    {
        var file = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(file, "");
        return AssertRefusedInOneLineAsync("Storage:DataDirectory", file, $"Storage:DataDirectory '{file}' cannot be used as the data directory");
    }

    [Fact]
    public async Task A_data_directory_whose_lock_cannot_be_made_is_not_called_in_use()
    {
        // /proc/1 exists but holds no new file: not contention, so no 5 s wait and no "another process" (it said both).
        if (!OperatingSystem.IsLinux()) return;
        var line = await AssertRefusedInOneLineAsync("Storage:DataDirectory", "/proc/1", "Storage:DataDirectory '/proc/1' cannot be used as the data directory");
        Assert.DoesNotContain("Another process", line);
    }

    /// <summary>Starts the service with <paramref name="key"/> set: it must exit with code 1 and one critical line holding <paramref name="expected"/>, which is returned.</summary>
    private async Task<string> AssertRefusedInOneLineAsync(string key, string value, string expected)
    {
        var (exitCode, output) = await ServiceProcess.RefusedStartAsync(_directory, new Dictionary<string, string> { [key] = value });
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        AssertNoStackTrace(output);
        var line = Assert.Single(Lines(output), l => l.Contains(" FTL] "));
        Assert.Contains(expected, line);
        return line;
    }

    [Fact]
    public async Task A_second_process_on_a_data_directory_in_use_exits_with_code_1_and_says_what_to_do()
    {
        await using var first = await ServiceProcess.StartAsync(_directory);

        var (exitCode, output) = await ServiceProcess.RefusedStartAsync(_directory, new Dictionary<string, string>());

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        AssertNoStackTrace(output);
        var line = Assert.Single(Lines(output), l => l.Contains(" FTL] "));
        Assert.Contains($"Another process is using the data directory {_directory}", line);
        Assert.Contains("Storage:Provider postgres", line);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await first.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_exits_with_code_1_and_one_line_naming_the_address()
    {
        await using var first = await ServiceProcess.StartAsync(_directory);
        var other = LstmServiceFactory.NewDataDirectory();
        try
        {
            // A job waits in the other directory's queue.
            Guid queued;
            await using (var idle = new LstmServiceFactory(other, new Dictionary<string, string?> { ["TrainingQueue:Workers"] = "0" }))
                queued = (await idle.CreateClient().SubmitAsync("waiting", Api.TinyTraining())).Id;

            var address = first.Client.BaseAddress!.ToString().TrimEnd('/');
            var (exitCode, output) = await ServiceProcess.RefusedStartAsync(other, new Dictionary<string, string> { ["ASPNETCORE_URLS"] = address });

            Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
            AssertNoStackTrace(output);
            Assert.Contains($"Failed to bind to address {address}: address already in use", Assert.Single(Lines(output), l => l.Contains(" FTL] ")));
            // The background services the failed start had begun stop quietly.
            Assert.DoesNotContain(Lines(output), l => l.Contains(" ERR] "));

            // It began no job: the waiting one's row, read before any other start could re-queue it, is queued with no attempt.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(other, "registry.db")};Pooling=False");
            connection.Open();
            using var command = new Microsoft.Data.Sqlite.SqliteCommand("SELECT status || ' ' || attempts FROM jobs WHERE id = @id", connection);
            command.Parameters.AddWithValue("@id", queued.ToString());
            Assert.Equal("queued 0", command.ExecuteScalar());
        }
        finally
        {
            LstmServiceFactory.DeleteDirectory(other);
        }
    }

    [Fact]
    public async Task A_data_directory_holding_something_else_than_a_registry_is_refused_and_left_as_it_was()
    {
        var database = Path.Combine(_directory, "registry.db");
        File.WriteAllText(database, "a file that is not an SQLite database, where the registry's would be");

        var (exitCode, output) = await ServiceProcess.RefusedStartAsync(_directory, new Dictionary<string, string>());

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        AssertNoStackTrace(output);
        var line = Assert.Single(Lines(output), l => l.Contains(" FTL] "));
        Assert.Contains($"The registry's database (sqlite at {_directory}) cannot be opened", line);
        Assert.Contains("file is not a database", line);
        Assert.Equal("a file that is not an SQLite database, where the registry's would be", File.ReadAllText(database));
    }

    [Theory]
    [InlineData("http://+:80", "80")]
    [InlineData("http://[::]:8080/base", "8080")]
    [InlineData("http://[::1]", null)]
    [InlineData("https://example.com", null)]
    [InlineData("http://unix:/run/lstm.sock", null)] // a unix socket or a pipe has a path, not a port
    [InlineData("http://pipe:/lstm", null)]
    [InlineData("http://*:abc", "abc")]
    public void A_listening_address_s_port_is_read_after_the_host(string url, string? port) =>
        Assert.Equal(port, LstmService.Infrastructure.ListeningAddressCheck.Port(url));
}

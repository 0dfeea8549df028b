using System.Text.Json;

namespace LstmService.Tests;

/// <summary>Settings read at start: a bad value or a key the service has no setting for stops it, naming the setting.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("TrainingQueue:Workers", "-1")]
    [InlineData("TrainingQueue:Capacity", "0")]
    [InlineData("RequestLimits:MaxBodyBytes", "10")]
    [InlineData("Storage:DataDirectory", "")]
    [InlineData("Shutdown:TimeoutSeconds", "0")]
    [InlineData("Shutdown:DrainSeconds", "-1")]
    [InlineData("TrainingQueue:MaxAttempts", "0")]
    [InlineData("TrainingQueue:MaxNetworkParameters", "10")]
    [InlineData("TrainingQueue:MaxJobSeconds", "0")]
    [InlineData("TrainingQueue:MaxJobMemoryBytes", "1000")]
    [InlineData("TrainingQueue:RetainJobDays", "-1")]
    [InlineData("RateLimits:ForecastPermits", "-1")]
    [InlineData("RateLimits:TrainingSubmitWindowSeconds", "0")]
    [InlineData("RateLimits:ForecastPointPermits", "-5")]
    public async Task Invalid_settings_stop_the_service_at_start(string key, string value)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { [key] = value });
        // Named by its configuration path, with the value read (a number; strings are not echoed).
        Assert.Contains(key, error.ToString());
        if (value != "") Assert.Contains($"(it is {value})", error.ToString());
    }

    [Fact]
    public async Task Values_not_of_their_settings_types_are_named_beside_every_other_bad_setting()
    {
        // The binder had thrown at the first value it could not convert, and the start stopped there: one error per restart.
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?>
        {
            ["trainingqueue:CAPACITY"] = "many", // as an environment variable's case may spell it
            ["TrainingQueue:MaxJobMemoryBytes"] = "3000000000000000000000",
            ["Shutdown:TimeoutSeconds"] = "ten",
            ["Shutdown:DrainSeconds"] = "30",
            ["TrainingQueue:Workers"] = "-1",
            ["Monitoring:AutoRetrain"] = "yes",
            ["Monitoring:DriftFactor"] = "1,5",
            ["RateLimits:ForecastPermits"] = "-3",
            ["Logs:Format"] = "jsn\r",
        })).ToString();
        Assert.Contains("TrainingQueue:Capacity must be a whole number from -2147483648 to 2147483647 (it is 'many').", error);
        Assert.Contains("TrainingQueue:MaxJobMemoryBytes must be a whole number from -9223372036854775808 to 9223372036854775807 (it is '3000000000000000000000').", error);
        Assert.Contains("Shutdown:TimeoutSeconds must be a whole number from -2147483648 to 2147483647 (it is 'ten').", error);
        // A comparison with a setting that could not be read is not made: it would name the default (25) as the operator's.
        Assert.DoesNotContain("Shutdown:DrainSeconds must be below", error);
        Assert.Contains("TrainingQueue:Workers must be between", error);
        Assert.Contains("(it is -1)", error);
        Assert.Contains("Monitoring:AutoRetrain must be true or false (it is 'yes').", error);
        Assert.Contains("Monitoring:DriftFactor must be a number (with '.' as its decimal point, as in 1.5) (it is '1,5').", error);
        Assert.Contains("RateLimits:ForecastPermits must be between 0 and 1000000 (it is -3).", error);
        // A choice of words is quoted as read, its control characters escaped; the framework's own wording is gone.
        Assert.Contains("Logs:Format must be 'text' or 'json' (it is 'jsn\\r').", error);
        Assert.DoesNotContain("Failed to convert", error);
    }

    [Fact]
    public async Task A_drain_as_long_as_the_shutdown_timeout_stops_the_start()
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { ["Shutdown:DrainSeconds"] = "25" });
        Assert.Contains("Shutdown:DrainSeconds must be below Shutdown:TimeoutSeconds", error.ToString());
        Assert.Contains("(it is 25; Shutdown:TimeoutSeconds is 25)", error.ToString());
    }

    [Theory]
    // A misspelled key of the section: ignored, the first had left the service open to anyone.
    [InlineData("Auth:ApiKey:0:Sha256", "Auth:ApiKey is not a setting: did you mean Auth:ApiKeys?")]
    [InlineData("TrainingQueue:Wokers", "TrainingQueue:Wokers is not a setting: did you mean TrainingQueue:Workers?")]
    [InlineData("Auth:ApiKeys:0:Sha2566", "Auth:ApiKeys:0:Sha2566 is not a setting: did you mean Auth:ApiKeys:0:Sha256?")]
    [InlineData("RateLimits:Nothing", "RateLimits:Nothing is not a setting: RateLimits takes ")]
    // A section one typo away from one of the service's, a list entry that is no number, settings under a plain value.
    [InlineData("TrainingQueu:Workers", "TrainingQueu is no section of the service's settings: did you mean TrainingQueue?")]
    [InlineData("Autj:ApiKeys:0:Role", "Autj is no section of the service's settings: did you mean Auth?")]
    [InlineData("Auth:ApiKeys:first:Sha256", "Auth:ApiKeys:first is not a setting: Auth:ApiKeys is a list, numbered from 0")]
    [InlineData("Storage:DataDirectory:Path", "Storage:DataDirectory takes one value, not settings under it")]
    // An environment variable with one underscore (TrainingQueue_Workers=2): no key path at all, it had been ignored.
    [InlineData("TrainingQueue_Workers", "TrainingQueue_Workers is no setting: a section and its key are joined by two underscores in an environment variable (TrainingQueue__Workers) and by a colon on the command line (--TrainingQueue:Workers)")]
    // A dot (legal in Docker's and Kubernetes' variable names) or two underscores on the command line, which only
    // environment variables translate: both had started with the default in force.
    [InlineData("TrainingQueue.Workers", "TrainingQueue.Workers is no setting: a section and its key are joined by two underscores in an environment variable (TrainingQueue__Workers)")]
    [InlineData("TrainingQueue__Workers", "TrainingQueue__Workers is no setting: two underscores join a section and its key in an environment variable only; on the command line, or in a settings file's key, write TrainingQueue:Workers")]
    [InlineData("Auth.ApiKeys", "Auth.ApiKeys is no setting:")]
    public async Task Settings_the_service_does_not_have_stop_it_at_start(string key, string expected)
    {
        var error = await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { [key] = "2" });
        Assert.Contains(expected, error.ToString());
    }

    [Theory]
    // A list entry named by a word is the key validator's to name; it had also been counted as an unreadable key.
    [InlineData("Auth:ApiKeys:first", "Auth:ApiKeys:first is not a setting: Auth:ApiKeys is a list", "could be read")]
    // A numbered entry given one value (a raw key where its settings belong) says what goes under it.
    [InlineData("Auth:ApiKeys:0", "Auth:ApiKeys:0 is one value, but a key is settings under it: Auth:ApiKeys:0:Sha256", "could be read")]
    // Its settings under a word: the binder took them as entry 0, which the per-key checks had then named.
    [InlineData("Auth:ApiKeys:first:Sha256", "Auth:ApiKeys:first is not a setting", "Auth:ApiKeys:0:Sha256")]
    // A signed index is no index either: it had passed both checks, the key bound unchecked.
    [InlineData("Auth:ApiKeys:-0:Sha256", "Auth:ApiKeys:-0 is not a setting", "Auth:ApiKeys:0:Sha256")]
    // The key list without its section, or under another: ignored, the service had started open to anyone.
    [InlineData("ApiKeys:0:Sha256", "ApiKeys is no section of the service's settings: did you mean Auth:ApiKeys?", "could be read")]
    [InlineData("Authentication:ApiKeys:0:Sha256", "Authentication:ApiKeys is no setting of the service's: did you mean Auth:ApiKeys?", "could be read")]
    public async Task An_api_key_entry_that_is_one_value_is_named_once(string key, string expected, string absent)
    {
        var error = (await LstmServiceFactory.StartupErrorAsync(new Dictionary<string, string?> { [key] = "abc" })).ToString();
        Assert.Contains(expected, error);
        Assert.DoesNotContain(absent, error);
    }

    [Fact]
    public async Task Other_sections_and_plain_values_near_a_section_name_are_left_alone()
    {
        // Sections of the framework and plain environment variables (PATH beside Auth) are not the service's to check.
        await using var factory = new LstmServiceFactory(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning", ["Kestrel:Limits:MaxConcurrentConnections"] = "100", ["Autg"] = "1", ["Demos"] = "x",
            ["OAuth:ClientId"] = "another program's", // one typo from Auth, but none of its settings
            ["Cors:AllowedOrigins:0"] = "https://app.example.com", // a list of plain values another library reads
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public void Every_setting_is_in_appsettings_json_with_its_default_and_in_the_readme()
    {
        // Each options class binds a section ("public const string Section"); every settable property is a setting.
        var root = RepositoryRoot.Find();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        using var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "src", "LstmService", "appsettings.json")));
        var missing = new List<string>();
        var settings = 0;
        foreach (var type in typeof(LstmService.Infrastructure.ApiDefaults).Assembly.GetTypes())
        {
            if (type.GetField("Section", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is not { IsLiteral: true } field) continue;
            var section = (string)field.GetRawConstantValue()!;
            var defaults = Activator.CreateInstance(type);
            foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.SetMethod!.IsPublic))
            {
                var key = $"{section}:{property.Name}";
                settings++;
                if (!readme.Contains($"`{key}`", StringComparison.Ordinal)) missing.Add($"{key} (README)");
                if (!appsettings.RootElement.TryGetProperty(section, out var s) || !s.TryGetProperty(property.Name, out var value)) missing.Add($"{key} (appsettings.json)");
                else if (property.GetValue(defaults) is { } d && (d is int or long or double or bool or string) && value.ValueKind != JsonValueKind.Array
                    && value.ToString() != (d is bool b ? (b ? "True" : "False") : Convert.ToString(d, System.Globalization.CultureInfo.InvariantCulture)))
                    missing.Add($"{key} (appsettings.json has {value}, the default is {d})");
            }
        }
        Assert.Empty(missing);
        Assert.InRange(settings, 50, 500); // the sections were found (52 settings on 2026-12-02)
    }
}

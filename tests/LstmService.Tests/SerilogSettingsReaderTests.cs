using LstmService.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace LstmService.Tests;

/// <summary>
/// The "Serilog" section's names that Serilog.Settings.Configuration cannot find (it skips them with a self-log line) are
/// refused, naming the setting; what it can find is read as before.
/// </summary>
public sealed class SerilogSettingsReaderTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void A_misspelled_sink_is_refused_naming_its_setting()
    {
        SerilogSettingsReader.Read(Settings(("Serilog:WriteTo:0:Name", "Console"), ("Serilog:WriteTo:1:Name", "Consle")), out var refusal);

        Assert.NotNull(refusal);
        Assert.StartsWith("Serilog:WriteTo:1:Name names 'Consle', which is no sink, enricher or filter Serilog can find", refusal);
        Assert.Contains(SerilogSettingsReader.ShippedSinks, refusal);
        Assert.DoesNotContain("WriteTo:0", refusal);
    }

    [Fact]
    public void A_misspelled_enricher_in_the_short_form_is_refused_too()
    {
        SerilogSettingsReader.Read(Settings(("Serilog:Enrich:0", "FromLogContxt"), ("Serilog:WriteTo:Out", "Consle")), out var refusal);

        Assert.NotNull(refusal);
        Assert.Contains("Serilog:Enrich:0 names 'FromLogContxt'", refusal);
        Assert.Contains("Serilog:WriteTo:Out names 'Consle'", refusal);
    }

    [Theory]
    // A QA pass: the first had said "Serilog names 'File with no supplied arguments', which is no sink", the others a
    // message naming the value but not the setting ("Serilog: Type Nope was not found.").
    [InlineData("Serilog:WriteTo:0:Name", "File", null, null, "Serilog:WriteTo:0:Name names 'File', which Serilog has, but not with the arguments given: Serilog:WriteTo:0:Args must hold the ones it needs (a File sink its path: Serilog:WriteTo:0:Args:path)")]
    [InlineData("Serilog:WriteTo:0:Name", "Console", "Serilog:WriteTo:0:Args:theme", "Nope", "Serilog:WriteTo:0:Args:theme names the type 'Nope', which was not found")]
    [InlineData("Serilog:MinimumLevel:Default", "loud", null, null, "Serilog:MinimumLevel:Default must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is 'loud').")]
    [InlineData("Serilog:MinimumLevel", "loud", null, null, "Serilog:MinimumLevel must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is 'loud').")]
    public void A_sink_without_its_arguments_a_type_or_a_level_that_is_none_is_named_by_its_setting(string key, string value, string? key2, string? value2, string expected)
    {
        var pairs = key2 is null ? new[] { (key, value) } : [(key, value), (key2, value2!)];
        SerilogSettingsReader.Read(Settings(pairs), out var refusal);
        Assert.NotNull(refusal);
        Assert.StartsWith(expected, refusal);
    }

    [Fact]
    public void An_assembly_that_is_not_there_is_refused_naming_its_setting()
    {
        SerilogSettingsReader.Read(Settings(("Serilog:Using:0", "Serilog.Sinks.Seqq"), ("Serilog:WriteTo:0:Name", "Seq")), out var refusal);

        Assert.Equal($"Serilog:Using:0 names the assembly 'Serilog.Sinks.Seqq', which is not in the service's directory (this build ships the sinks {SerilogSettingsReader.ShippedSinks})", refusal);
    }

    [Fact]
    public void Shipped_sinks_and_enrichers_are_read_and_write()
    {
        var path = Path.Combine(Path.GetTempPath(), $"serilog-reader-{Guid.NewGuid():N}.log");
        try
        {
            var configuration = SerilogSettingsReader.Read(Settings(
                ("Serilog:Enrich:0", "FromLogContext"),
                ("Serilog:WriteTo:0:Name", "File"), ("Serilog:WriteTo:0:Args:path", path)), out var refusal);
            Assert.Null(refusal);
            using (var logger = configuration.CreateLogger()) logger.Information("written by {Sink}", "file");
            Assert.Contains("written by file", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_bad_level_names_the_levels()
    {
        SerilogSettingsReader.Read(Settings(("Serilog:MinimumLevel:Default", "Loud")), out var refusal);

        Assert.Equal("Serilog:MinimumLevel:Default must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is 'Loud').", refusal);
    }

    [Theory]
    [InlineData("Serilog:MinimumLevl:Default", "Debug", "Serilog:MinimumLevl is not a Serilog setting: did you mean Serilog:MinimumLevel?")]
    [InlineData("Serilog:MinimumLevel:Defualt", "Debug", "Serilog:MinimumLevel:Defualt is not a Serilog setting: did you mean Serilog:MinimumLevel:Default?")]
    [InlineData("Serilog:WritTo:0:Name", "Console", "Serilog:WritTo is not a Serilog setting: did you mean Serilog:WriteTo?")]
    [InlineData("Seriog:MinimumLevel:Default", "Debug", "Seriog is no section of the settings: did you mean Serilog?")]
    public void A_misspelled_key_is_refused_with_the_nearest(string key, string value, string expected)
    {
        // Serilog reads what it knows and ignores the rest: the level had stayed as it was without a word.
        SerilogSettingsReader.Read(Settings((key, value)), out var refusal);
        Assert.StartsWith(expected, refusal);
    }

    [Fact]
    public void A_bad_override_level_names_its_setting()
    {
        // Serilog reads a level that is none as a level switch's name: "No LoggingLevelSwitch has been declared with name".
        SerilogSettingsReader.Read(Settings(("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Nope")), out var refusal);
        Assert.Equal("Serilog:MinimumLevel:Override:Microsoft.AspNetCore must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is 'Nope').", refusal);
    }

    [Fact]
    public void The_shipped_settings_and_the_tests_own_are_read()
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false).Build();
        SerilogSettingsReader.Read(shipped, out var refusal);
        Assert.Null(refusal);
        SerilogSettingsReader.Read(Settings(("Serilog:MinimumLevel", "Warning"), ("Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime", "Warning"),
            ("Serilog:Properties:Application", "lstm")), out refusal);
        Assert.Null(refusal);
    }

    [Fact]
    public void The_frameworks_own_level_settings_are_named_as_having_no_effect()
    {
        var settings = Settings(("Logging:LogLevel:Default", "Debug"), ("Logging:Console:LogLevel:Microsoft", "Warning"), ("Logging:Console:FormatterName", "json"));
        Assert.Equal(["Logging:Console:LogLevel:Microsoft", "Logging:LogLevel:Default"], LoggingExtensions.IgnoredLevelSettings(settings));
        Assert.Empty(LoggingExtensions.IgnoredLevelSettings(Settings(("Serilog:MinimumLevel:Default", "Debug"))));
    }

    [Fact]
    public void Kestrels_body_limit_is_named_as_set_by_the_services_own()
    {
        // The service sets Kestrel's body limit from RequestLimits:MaxBodyBytes: raising Kestrel's had changed nothing, without a word.
        Assert.Equal([("Kestrel:Limits:MaxRequestBodySize", "RequestLimits:MaxBodyBytes")],
            LoggingExtensions.OverriddenServerSettings(Settings(("Kestrel:Limits:MaxRequestBodySize", "1000000000"))));
        Assert.Empty(LoggingExtensions.OverriddenServerSettings(Settings(("Kestrel:Limits:MaxConcurrentConnections", "100"))));
    }
}

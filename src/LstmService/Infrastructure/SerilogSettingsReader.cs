using Serilog;
using Serilog.Debugging;

namespace LstmService.Infrastructure;

/// <summary>
/// Reads the "Serilog" section as Serilog.Settings.Configuration does, and says what it could not use. That package skips
/// a sink, enricher or filter whose name it cannot find (a misspelled "Consle", a sink whose package the image lacks) with
/// a line in Serilog's self-log alone, so the service started and logged nowhere it was told to.
/// </summary>
public static partial class SerilogSettingsReader
{
    private const string Section = "Serilog";
    private const string NotFound = "Unable to find a method called ";

    /// <summary>The sinks this build ships (Serilog.AspNetCore brings File and Debug), named in a refusal.</summary>
    public const string ShippedSinks = "Console, File, Debug and Async";

    // Serilog's self-log is process-wide: one reader at a time listens to it (tests build several hosts at once).
    private static readonly Lock SelfLogLock = new();

    /// <summary>
    /// The section's logger settings; where the section cannot be used, the defaults and <paramref name="refusal"/>
    /// naming the setting at fault (the caller refuses to start with it).
    /// </summary>
    public static LoggerConfiguration Read(IConfiguration configuration, out string? refusal)
    {
        if (UnknownKeys(configuration) is { } unknown)
        {
            refusal = unknown;
            return new LoggerConfiguration();
        }
        var selfLog = new List<string>();
        lock (SelfLogLock)
        {
            SelfLog.Enable(message => { lock (selfLog) selfLog.Add(message); });
            try
            {
                var read = new LoggerConfiguration().ReadFrom.Configuration(configuration);
                refusal = UnfoundNames(configuration, selfLog);
                return refusal is null ? read : new LoggerConfiguration();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
            {
                // A bad value ("Loud" as a level): Serilog's message names the value, not the setting. An override's level
                // that is none is read as the name of a level switch ("No LoggingLevelSwitch has been declared with name").
                var levels = e.Message.Contains("level", StringComparison.OrdinalIgnoreCase) ? " (levels: Verbose, Debug, Information, Warning, Error, Fatal)" : "";
                // A level that is none, and a type that is not found (a console theme), are named by the setting that holds them.
                var level = LevelSwitchName().Match(e.Message) is { Success: true } m1 ? m1 : BadLevel().Match(e.Message);
                var type = TypeNotFound().Match(e.Message);
                refusal = level.Success && KeyHolding(configuration, level.Groups["name"].Value) is { } key
                    ? $"{key} must be one of Verbose, Debug, Information, Warning, Error or Fatal (it is '{level.Groups["name"].Value}')."
                    : type.Success && KeyHolding(configuration, type.Groups["name"].Value) is { } typeKey
                    ? $"{typeKey} names the type '{type.Groups["name"].Value}', which was not found: a type is written with its namespace, a static member as Type::Member " +
                      "(a console theme: Serilog.Sinks.SystemConsole.Themes.AnsiConsoleTheme::Code)."
                    : $"{Section}: {e.Message}{levels}";
                return new LoggerConfiguration();
            }
            catch (FileNotFoundException e)
            {
                // An assembly in Serilog:Using that is not beside the service: the loader's message names no setting.
                var assembly = (e.FileName ?? "").Split(',')[0];
                var key = KeyHolding(configuration, assembly) ?? $"{Section}:Using";
                refusal = $"{key} names the assembly '{assembly}', which is not in the service's directory (this build ships the sinks {ShippedSinks})";
                return new LoggerConfiguration();
            }
            finally
            {
                SelfLog.Disable();
            }
        }
    }

    // What Serilog.Settings.Configuration reads under "Serilog" and under "Serilog:MinimumLevel"; anything else it ignores.
    private static readonly string[] SectionKeys = ["Using", "MinimumLevel", "WriteTo", "Enrich", "Filter", "Destructure", "AuditTo", "Properties", "LevelSwitches", "FilterSwitches"];
    private static readonly string[] LevelKeys = ["Default", "Override", "ControlledBy"];

    /// <summary>
    /// Keys under the section (or its MinimumLevel) that Serilog does not read, each with the nearest it does; null when
    /// none. Ignored, <c>Serilog:MinimumLevl:Default=Debug</c> had left the level as it was without a word.
    /// </summary>
    private static string? UnknownKeys(IConfiguration configuration)
    {
        var problems = new List<string>();
        var section = configuration.GetSection(Section);
        Check(section, SectionKeys);
        Check(section.GetSection("MinimumLevel"), LevelKeys);
        // The section misspelled (Seriog__MinimumLevel__Default): read by nobody.
        foreach (var root in configuration.GetChildren())
            if (!root.Key.Equals(Section, StringComparison.OrdinalIgnoreCase) && EditDistance.Of(root.Key, Section) <= 2 && root.GetChildren().Any())
                problems.Add($"{root.Key} is no section of the settings: did you mean {Section}? A misspelled setting would be ignored.");
        return problems.Count == 0 ? null : string.Join(" ", problems);

        void Check(IConfigurationSection node, string[] known)
        {
            foreach (var child in node.GetChildren())
            {
                if (known.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
                var nearest = EditDistance.Nearest(known, child.Key, EditDistance.SettingReach(child.Key));
                var hint = nearest is not null ? $": did you mean {node.Path}:{nearest}?" : $" (it reads {string.Join(", ", known)})";
                problems.Add($"{child.Path} is not a Serilog setting{hint} A misspelled setting would be ignored.");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("No LoggingLevelSwitch has been declared with name \"(?<name>[^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex LevelSwitchName();

    [System.Text.RegularExpressions.GeneratedRegex("^The value (?<name>.*) is not a valid Serilog level")]
    private static partial System.Text.RegularExpressions.Regex BadLevel();

    [System.Text.RegularExpressions.GeneratedRegex("^Type (?<name>.*) was not found")]
    private static partial System.Text.RegularExpressions.Regex TypeNotFound();

    /// <summary>Each name the self-log says no method was found for, with the setting that gave it; null when none.</summary>
    private static string? UnfoundNames(IConfiguration configuration, List<string> selfLog)
    {
        var reasons = new List<string>();
        foreach (var message in selfLog)
        {
            var at = message.IndexOf(NotFound, StringComparison.Ordinal);
            if (at < 0) continue;
            var rest = message[(at + NotFound.Length)..];
            // "File with no supplied arguments. Candidate methods are: ...": the sink is there, its arguments are not.
            var name = rest.Split([' ', '.'], 2)[0].Trim();
            var key = KeyHolding(configuration, name) ?? Section;
            var candidates = rest.IndexOf("Candidate methods are:", StringComparison.Ordinal) is var c and >= 0 ? rest[c..] : "";
            bool exists = candidates.Split('\n').Skip(1).Any(line => line.Trim().StartsWith(name + "(", StringComparison.OrdinalIgnoreCase));
            var args = key.EndsWith(":Name", StringComparison.OrdinalIgnoreCase) ? key[..^4] + "Args" : $"{Section}:WriteTo:<n>:Args";
            var reason = exists
                ? $"{key} names '{name}', which Serilog has, but not with the arguments given: {args} must hold the ones it needs (a File sink its path: {args}:path)"
                : $"{key} names '{name}', which is no sink, enricher or filter Serilog can find (this build ships the sinks {ShippedSinks}; " +
                  $"another needs its package in the image and its assembly in {Section}:Using)";
            if (!reasons.Contains(reason)) reasons.Add(reason);
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The first key of the section (in ordinal order, so the answer is stable) whose value is <paramref name="value"/>.</summary>
    private static string? KeyHolding(IConfiguration configuration, string value) =>
        configuration.GetSection(Section).AsEnumerable()
            .Where(pair => string.Equals(pair.Value?.Trim(), value, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
}

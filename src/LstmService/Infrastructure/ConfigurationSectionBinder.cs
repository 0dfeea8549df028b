using System.Globalization;
using System.Text.RegularExpressions;

namespace LstmService.Infrastructure;

/// <summary>
/// Binds an options class from its section one setting at a time, keeping each value that cannot be converted to its
/// setting's type as a failure instead of throwing. The framework's binder throws at the first such value, and the start
/// validation then stops there: <c>TrainingQueue:Capacity=many</c> hid every range error of every other setting, so an
/// operator fixed one setting per restart (a QA pass).
/// </summary>
public static partial class ConfigurationSectionBinder
{
    /// <summary>
    /// Binds <paramref name="section"/> into <paramref name="options"/> as <c>section.Bind(options)</c> does, and returns one
    /// sentence per setting whose value is not of its type (that setting keeps its default).
    /// </summary>
    public static IReadOnlyList<string> Bind(IConfigurationSection section, object options)
    {
        var failures = new List<string>();
        foreach (var setting in section.GetChildren())
        {
            // The setting's subtree alone, its keys relative to the section: the binder reads it exactly as it would read the
            // whole section, and one setting's failure leaves the others bound.
            var alone = new ConfigurationBuilder().AddInMemoryCollection(
                setting.AsEnumerable().Select(kv => KeyValuePair.Create(kv.Key[(section.Path.Length + 1)..], kv.Value))).Build();
            try { alone.Bind(options); }
            catch (InvalidOperationException e) { failures.Add(Failure(section.Path, setting.Path, e)); }
        }
        return failures;
    }

    /// <summary>"TrainingQueue:Capacity must be a whole number (it is 'many')."; the framework's own message where it names no type.</summary>
    private static string Failure(string section, string setting, InvalidOperationException e)
    {
        // "Failed to convert configuration value 'many' at 'Capacity' to type 'System.Int32'." (the path relative to the section).
        var match = ConversionFailure().Match(e.Message);
        if (!match.Success) return $"{setting}: {e.Message}";
        var path = $"{section}:{match.Groups["path"].Value}";
        var type = Type.GetType(match.Groups["type"].Value);
        return $"{path} must be {TypeWords(type, match.Groups["type"].Value)} (it is '{SettingText.Escaped(match.Groups["value"].Value)}').";
    }

    private static string TypeWords(Type? type, string name)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => $"a value of type {name}",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) => "a whole number, 0 or more",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) =>
                $"a number (with '.' as its decimal point, as in {1.5.ToString(CultureInfo.InvariantCulture)})",
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss, or d.hh:mm:ss)",
            _ => $"a value of type {type.Name}",
        };
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}

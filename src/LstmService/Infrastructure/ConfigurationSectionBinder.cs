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
    /// <summary>Each bound options instance's failures, kept with the instance it describes (options are built once per name).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, IReadOnlyList<string>> Failures = new();

    /// <summary>
    /// Binds <paramref name="section"/> into <paramref name="options"/> as <c>section.Bind(options)</c> does, keeping one sentence
    /// per setting whose value is not of its type (that setting keeps its default) for <see cref="FailuresOf"/>. Unlike
    /// BindConfiguration it registers no reload token: no options class bound so is read through IOptionsMonitor.
    /// </summary>
    public static void Bind(IConfigurationSection section, object options)
    {
        var failures = new List<string>();
        foreach (var setting in section.GetChildren())
        {
            // The setting's subtree alone, its keys relative to the section: the binder reads it exactly as it would read the
            // whole section, and one setting's failure leaves the others bound.
            var alone = new ConfigurationBuilder().AddInMemoryCollection(
                setting.AsEnumerable().Select(kv => KeyValuePair.Create(kv.Key[(section.Path.Length + 1)..], kv.Value))).Build();
            try { alone.Bind(options); }
            catch (InvalidOperationException e) { failures.Add(Failure(section.Path, setting.Path, options.GetType(), e)); }
        }
        Failures.AddOrUpdate(options, failures);
    }

    /// <summary>
    /// The settings of <paramref name="options"/> whose values were not of their types, as sentences (empty when none, or when it
    /// was not bound here). A validator that compares settings skips its comparison where any failed: it would name a default
    /// the operator never set as if it were theirs.
    /// </summary>
    public static IReadOnlyList<string> FailuresOf(object options) => Failures.TryGetValue(options, out var failures) ? failures : [];

    /// <summary>"TrainingQueue:Capacity must be a whole number (it is 'many')."; the framework's own message where it names no type.</summary>
    private static string Failure(string section, string setting, Type optionsType, InvalidOperationException e)
    {
        // "Failed to convert configuration value 'many' at 'Capacity' to type 'System.Int32'." (the path relative to the section,
        // spelt as its provider spelt it: TRAININGQUEUE__CAPACITY gives CAPACITY, named here as the setting is).
        var match = ConversionFailure().Match(e.Message);
        if (!match.Success) return $"{setting}: {e.Message}";
        var segments = match.Groups["path"].Value.Split(':');
        segments[0] = optionsType.GetProperties().FirstOrDefault(p => string.Equals(p.Name, segments[0], StringComparison.OrdinalIgnoreCase))?.Name ?? segments[0];
        var path = $"{section}:{string.Join(':', segments)}";
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
            // The range too: 3000000000 is a whole number, but not an Int32.
            _ when type == typeof(int) => $"a whole number from {int.MinValue} to {int.MaxValue}",
            _ when type == typeof(long) => $"a whole number from {long.MinValue} to {long.MaxValue}",
            _ when type == typeof(short) => $"a whole number from {short.MinValue} to {short.MaxValue}",
            _ when type == typeof(uint) => $"a whole number from 0 to {uint.MaxValue}",
            _ when type == typeof(ulong) => $"a whole number from 0 to {ulong.MaxValue}",
            _ when type == typeof(ushort) => $"a whole number from 0 to {ushort.MaxValue}",
            _ when type == typeof(byte) => $"a whole number from 0 to {byte.MaxValue}",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) =>
                $"a number (with '.' as its decimal point, as in {1.5.ToString(CultureInfo.InvariantCulture)})",
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss, or d.hh:mm:ss)",
            _ => $"a value of type {type.Name}",
        };
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}

using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Refuses the start over a setting the binder would ignore: a key under the section that <typeparamref name="T"/> does not
/// have (<c>Auth:ApiKey</c> for <c>Auth:ApiKeys</c>, <c>TrainingQueue:Wokers</c>), or a section named one typo away from
/// the section itself (<c>TrainingQueu:Workers</c>). Ignored, such a setting left its default in force without a word, and
/// a misspelled <c>Auth:ApiKeys</c> left the service open to anyone.
/// </summary>
public sealed class ConfigurationKeyValidator<T>(string section, IConfiguration configuration) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = new List<string>();
        Walk(configuration.GetSection(section), typeof(T), problems);
        // Root keys with settings under them: a plain environment variable (PATH, HOME) is no section and is left alone. A
        // short section's near miss must also hold one of its settings (Autj:ApiKeys), so OAUTH__CLIENTID is another's.
        var own = Settings(typeof(T));
        foreach (var root in configuration.GetChildren())
        {
            if (!string.Equals(root.Key, section, StringComparison.OrdinalIgnoreCase) && root.GetChildren().ToList() is { Count: > 0 } under
                && EditDistance.Of(root.Key, section) <= (section.Length <= 6 ? 1 : 2)
                && (section.Length > 6 || under.Any(c => own.Any(p => string.Equals(p.Name, c.Key, StringComparison.OrdinalIgnoreCase)))))
                problems.Add($"{root.Key} is no section of the service's settings: did you mean {section}? A misspelled setting would be ignored.");
            // The section and its key joined by something other than the separator: one underscore in an environment variable
            // (TrainingQueue_Workers), a dot (TrainingQueue.Workers, legal in Docker's and Kubernetes' variable names), or two
            // underscores on the command line (--TrainingQueue__Workers=2, which only environment variables translate): no
            // key path at all, so ignored without a word.
            if (root.Value is not null && JoinedKey(root.Key, section) is { } key)
                problems.Add(root.Key.StartsWith(section + "__", StringComparison.OrdinalIgnoreCase)
                    ? $"{root.Key} is no setting: two underscores join a section and its key in an environment variable only; on the command line, or in a settings file's key, write {section}:{key} (--{section}:{key}=...). A misspelled setting would be ignored."
                    : $"{root.Key} is no setting: a section and its key are joined by two underscores in an environment variable ({section}__{key}) and by a colon on the command line (--{section}:{key}). A misspelled setting would be ignored.");
        }
        // A list setting given without its section (ApiKeys:0:Sha256) or under another's (Authentication:ApiKeys:0:Sha256): a
        // name that distinctive is this section's, and ignored, a key list left the service open.
        // Lists of settings (ApiKeys' entries), not of plain values: a Cors:AllowedOrigins is another library's to read.
        var lists = own.Where(p => Element(p.PropertyType) is { } element && !IsScalar(element)).Select(p => p.Name).ToList();
        foreach (var root in lists.Count == 0 ? [] : configuration.GetChildren())
        {
            if (string.Equals(root.Key, section, StringComparison.OrdinalIgnoreCase) || ServiceSections.Value.Contains(root.Key)) continue;
            if (lists.FirstOrDefault(l => string.Equals(l, root.Key, StringComparison.OrdinalIgnoreCase)) is { } bare && root.GetChildren().Any())
                problems.Add($"{root.Key} is no section of the service's settings: did you mean {section}:{bare}? A misspelled setting would be ignored.");
            foreach (var child in root.GetChildren())
                if (lists.FirstOrDefault(l => string.Equals(l, child.Key, StringComparison.OrdinalIgnoreCase)) is { } moved && child.GetChildren().Any())
                    problems.Add($"{child.Path} is no setting of the service's: did you mean {section}:{moved}? A misspelled setting would be ignored.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>The key after <paramref name="section"/> in a root key that joins them with '_', '__' or '.' (null: another key).</summary>
    private static string? JoinedKey(string rootKey, string section)
    {
        if (rootKey.Length <= section.Length + 1 || !rootKey.StartsWith(section, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = rootKey[section.Length..];
        foreach (var joint in (string[])["__", "_", "."])
            if (rest.StartsWith(joint, StringComparison.Ordinal) && rest.Length > joint.Length && rest[joint.Length] is not ('_' or '.'))
                return rest[joint.Length..];
        return null;
    }

    /// <summary>
    /// Whether a key names a list entry as the binder reads one: digits alone ("-0" and " 1" are no index, though int.TryParse
    /// reads them), the same rule <see cref="AuthOptionsValidator"/> follows.
    /// </summary>
    public static bool IsListIndex(string key) =>
        int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>The sections the service's options bind (each options class's <c>Section</c> constant).</summary>
    private static readonly Lazy<HashSet<string>> ServiceSections = new(() => typeof(ConfigurationKeyValidator<>).Assembly.GetTypes()
        .Select(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static))
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f!.GetRawConstantValue()!).ToHashSet(StringComparer.OrdinalIgnoreCase));

    /// <summary>Checks every key under <paramref name="node"/> against what <paramref name="type"/> binds there.</summary>
    private static void Walk(IConfigurationSection node, Type type, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var children = node.GetChildren().ToList();
        if (children.Count == 0) return;
        if (IsScalar(type))
        {
            problems.Add($"{node.Path} takes one value, not settings under it ({children[0].Path}).");
            return;
        }
        if (Dictionary(type) is { } valueType)
        {
            foreach (var child in children) Walk(child, valueType, problems);
            return;
        }
        if (Element(type) is { } elementType)
        {
            foreach (var child in children)
            {
                if (IsListIndex(child.Key)) Walk(child, elementType, problems);
                else problems.Add($"{child.Path} is not a setting: {node.Path} is a list, numbered from 0 ({node.Path}:0, {node.Path}:1, ...).");
            }
            return;
        }
        var properties = Settings(type);
        foreach (var child in children)
        {
            if (properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase)) is { } property)
                Walk(child, property.PropertyType, problems);
            else problems.Add(Unknown(child, node.Path, properties.Select(p => p.Name).ToList()));
        }
    }

    private static string Unknown(IConfigurationSection child, string parent, List<string> known)
    {
        var nearest = EditDistance.Nearest(known, child.Key, EditDistance.SettingReach(child.Key));
        var hint = nearest is not null
            ? $"did you mean {parent}:{nearest}?"
            : $"{parent} takes {string.Join(", ", known)}.";
        return $"{child.Path} is not a setting: {hint} A misspelled setting would be ignored.";
    }

    /// <summary>The properties the binder sets: public, instance, writable (or a collection it fills in place), not indexers.</summary>
    private static List<PropertyInfo> Settings(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod is { IsPublic: true } || Element(p.PropertyType) is not null || Dictionary(p.PropertyType) is not null))];

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);

    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)))?.GetGenericArguments()[1];

    private static Type? Element(Type type) =>
        type.IsArray ? type.GetElementType()
        : type != typeof(string) && Dictionary(type) is null && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0]
        : null;
}

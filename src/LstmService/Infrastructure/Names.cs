using System.Text.RegularExpressions;

namespace LstmService.Infrastructure;

public static partial class Names
{
    /// <summary>
    /// Model and alias names: safe in paths and file names, 1 to 64 characters. Anchored with \z, not $: in .NET '$' also
    /// matches before a final newline, which let "name\n" through (and then broke the Location header after the commit).
    /// </summary>
    public const string Pattern = @"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    public const string Rule = "Must be 1 to 64 ASCII characters: a letter (A-Z, a-z) or digit, then letters, digits, '.', '_' or '-' (nothing else: no accented or other non-ASCII letters, not even a trailing newline).";

    /// <summary>
    /// Whether a name is all digits. Such an alias would be read as a version number where a route takes either
    /// (<c>/v2/models/{name}/versions/{v}</c>), so new ones are refused; aliases stored before the rule still resolve.
    /// </summary>
    public static bool IsAllDigits(string name) => name.Length > 0 && name.All(char.IsAsciiDigit);

    public const string AliasDigitsRule = "Must not be all digits: an alias like '2' would be read as version 2 where a version number or an alias is taken (/v2/models/{name}/versions/{v}). Add a letter, e.g. 'v2'.";
}

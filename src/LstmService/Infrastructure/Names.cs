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

    public const string Rule = "Must be 1 to 64 characters: a letter or digit, then letters, digits, '.', '_' or '-' (nothing else, not even a trailing newline).";
}

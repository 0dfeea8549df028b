namespace LstmService.Infrastructure;

/// <summary>
/// The rule for a series id, wherever one is given (a training series, a CSV column's header, a forecast's series, a
/// stream): the service echoes ids in answers, in a version's timing and in logs, so they are bounded like other names.
/// </summary>
public static class SeriesIds
{
    public const int MaxLength = 200;

    public const string Rule = "1 to 200 characters, no control characters";

    /// <summary>Characters are counted as Unicode scalars, as a reader counts them: 150 emoji are 300 UTF-16 units and had been refused.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 2 * MaxLength && id.EnumerateRunes().Count() <= MaxLength && !id.Any(char.IsControl);
}

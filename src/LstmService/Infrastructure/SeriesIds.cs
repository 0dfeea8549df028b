namespace LstmService.Infrastructure;

/// <summary>
/// The rule for a series id, wherever one is given (a training series, a CSV column's header, a forecast's series, a
/// stream): the service echoes ids in answers, in a version's timing and in logs, so they are bounded like other names.
/// </summary>
public static class SeriesIds
{
    public const int MaxLength = 200;

    public const string Rule = "1 to 200 characters, no control characters";

    public static bool IsValid(string? id) => !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.Any(char.IsControl);
}

namespace LstmService.Infrastructure;

/// <summary>
/// The rule for a series id, wherever one is given (a training series, a CSV column's header, a forecast's series, a
/// stream): the service echoes ids in answers, in a version's timing and in logs, so they are bounded like other names.
/// </summary>
public static class SeriesIds
{
    public const int MaxLength = Forecasting.Series.SeriesIdRule.MaxLength;

    public const string Rule = "1 to 200 characters, no control characters";

    /// <summary>The library's rule (<see cref="Forecasting.Series.SeriesIdRule"/>), which an imported model's per-series entries follow too.</summary>
    public static bool IsValid(string? id) => Forecasting.Series.SeriesIdRule.IsValid(id);

    /// <summary>
    /// What breaks the rule in <paramref name="id"/>, to follow it in a message: its length in characters as the rule counts
    /// them (an id of 201 emoji had been told 402 by one endpoint and nothing by others), or its control character.
    /// </summary>
    public static string Why(string id) =>
        id.Length == 0 ? "got an empty one"
        : id.Any(char.IsControl) ? "this one holds a control character"
        : $"got {id.EnumerateRunes().Count()} characters";

    /// <summary>What an id that breaks the rule is told, on every endpoint that takes one.</summary>
    public static string Refusal(string id) => $"Must be {Rule}; {Why(id)}.";

    /// <summary>Whether <paramref name="id"/> begins or ends with white space, which training refuses (<see cref="Check"/>).</summary>
    public static bool Untrimmed(string id) => id.Length > 0 && (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]));

    /// <summary>
    /// What a forecast's or a stream's id that <see cref="Untrimmed"/> finds is told, where the version keeps series by id
    /// (<paramref name="keepsSeries"/>: their dates, or their own weights or widths) and none of exactly that id
    /// (<paramref name="known"/>; one trained before training refused such ids is still named as it was). It had been taken
    /// as an unknown series, so the training series' dates and own widths were lost without a word (a QA pass). A version
    /// that keeps nothing by id only echoes it, so there it still passes, as it did before the rule.
    /// </summary>
    public static string? UntrimmedProblem(string id, bool keepsSeries, Func<string, bool> known) =>
        Untrimmed(id) && keepsSeries && !known(id)
            ? $"Must not begin or end with white space: '{id}' would be another series than '{id.Trim()}', which training refuses."
            : null;

    /// <summary>
    /// A training series' id, when given, follows the rule, has no white space at either end and is no other series' of the
    /// request (<paramref name="seen"/>: the ids so far, each with its series' index): a version's timing dates each training
    /// series by its id, a forecast of that id continues where it ended, and a forecast's answer names its series by id, so
    /// two series of one id would be ambiguous. "a" and "a " had trained as two series, and "   " as an id (a QA pass); only
    /// training refuses them, so forecasts and streams still name the series of versions trained before as they were.
    /// </summary>
    public static void Check(string? id, string field, int i, Dictionary<string, int> seen, ValidationErrors errors)
    {
        if (id is null) return;
        if (!IsValid(id))
            errors.Add(field, Refusal(id));
        else if (Untrimmed(id))
            errors.Add(field, $"Must not begin or end with white space: '{id}' would be another series than '{id.Trim()}' (a CSV's ids are trimmed).");
        else if (seen.TryGetValue(id, out var first))
            errors.Add(field, $"'{id}' is also series[{first}]'s id: each series needs its own (or none).");
        else seen[id] = i;
    }
}

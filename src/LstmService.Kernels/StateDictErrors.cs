namespace LstmService.Kernels;

/// <summary>
/// Errors of a state_dict document that say where it is at fault, so a caller can put each under its field: the path
/// inside the document ("head.bias.data", "_forecast.horizon"), or the setting given beside it that contradicts it. They
/// are <see cref="InvalidDataException"/>s (which is sealed) carrying the place in their <see cref="Exception.Data"/>.
/// </summary>
public static class StateDictErrors
{
    private const string KeyEntry = "StateDictKey", ArgumentEntry = "StateDictArgument";

    /// <summary>An error at <paramref name="key"/> inside the document.</summary>
    public static InvalidDataException At(string key, string message) => new(message) { Data = { [KeyEntry] = key } };

    /// <summary>An error of the setting <paramref name="argument"/> given beside the document.</summary>
    public static InvalidDataException OfArgument(string argument, string message) => new(message) { Data = { [ArgumentEntry] = argument } };

    /// <summary>The path inside the document an error names, or null.</summary>
    public static string? KeyOf(Exception e) => e.Data[KeyEntry] as string;

    /// <summary>The setting given beside the document that an error names, or null.</summary>
    public static string? ArgumentOf(Exception e) => e.Data[ArgumentEntry] as string;

    /// <summary>
    /// An argument error's message as a client may read it: without .NET's " (Parameter 'x')", which names a parameter of
    /// our code rather than a field of the document, and without a range error's "Actual value was" line.
    /// </summary>
    public static string MessageOf(ArgumentException e)
    {
        var message = e.Message.Split('\n')[0];
        return e.ParamName is { Length: > 0 } name ? message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : message;
    }
}

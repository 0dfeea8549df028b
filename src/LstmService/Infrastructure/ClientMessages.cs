using System.Text.Json;

namespace LstmService.Infrastructure;

/// <summary>
/// An exception's message as a 400 may show it. An <see cref="ArgumentException"/> appends " (Parameter 'state')", which
/// names a parameter of our code, not a field of the request (the field is the error's key); a serializer error names
/// .NET types and reader options, so it gets the service's wording.
/// </summary>
public static class ClientMessages
{
    /// <summary>
    /// What a caller whose series can reach zero does about a log-scale version (training picks the log scale by itself for
    /// a positive series): a zero or negative value has no logarithm, and reading it as missing would hide a real zero.
    /// </summary>
    public const string LogScaleRemedy = "A series that can reach zero or go negative needs a version trained with \"transform\": \"none\".";

    /// <summary>
    /// A value that is no finite 64-bit number: a NaN or Infinity the reader was told to accept, or a literal beyond the
    /// double range (1e400), which reads as Infinity and had been called "NaN/Infinity" though the client wrote neither.
    /// </summary>
    public const string NotFinite = "Not a finite number: NaN, Infinity and numbers beyond ±1.8e308 (the 64-bit float range) are not allowed; use null for a missing value.";

    /// <summary>What a covariate the version does not read is told, given the names it does read (none: a version without covariates).</summary>
    public static string UnknownCovariate(IReadOnlyList<string> read) => read.Count == 0
        ? "This version was trained without covariates; leave covariates out."
        : $"Unknown covariate: this version reads {string.Join(", ", read)}.";

    public static string Of(Exception e) => e switch
    {
        JsonException json => BadRequestExceptionHandler.Describe(json),
        // An ArgumentOutOfRangeException adds a line "Actual value was ...", which the first line already says.
        ArgumentException { ParamName: { Length: > 0 } } argument => LstmService.Kernels.StateDictErrors.MessageOf(argument),
        _ => e.Message,
    };
}

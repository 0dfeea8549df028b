using System.Text.Json;

namespace LstmService.Infrastructure;

/// <summary>
/// An exception's message as a 400 may show it. An <see cref="ArgumentException"/> appends " (Parameter 'state')", which
/// names a parameter of our code, not a field of the request (the field is the error's key); a serializer error names
/// .NET types and reader options, so it gets the service's wording.
/// </summary>
public static class ClientMessages
{
    public static string Of(Exception e) => e switch
    {
        JsonException json => BadRequestExceptionHandler.Describe(json),
        // An ArgumentOutOfRangeException adds a line "Actual value was ...", which the first line already says.
        ArgumentException { ParamName: { Length: > 0 } } argument => LstmService.Kernels.StateDictErrors.MessageOf(argument),
        _ => e.Message,
    };
}

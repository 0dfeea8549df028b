using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Infrastructure;

/// <summary>
/// Writes an answer to JSON before what it answers for is stored: a handler that stores, then returns an answer the
/// serializer refuses (a number JSON cannot hold, such as an infinite ratio an edited import once produced), had answered
/// 500 with the stream already stored, so a client that sent it again got a second one.
/// </summary>
public static class WritableAnswer
{
    /// <summary>The 500 to answer instead of <paramref name="answer"/> when the API's JSON options cannot write it, else null.</summary>
    public static ProblemHttpResult? Problem<T>(T answer, HttpContext http, string nothingStored)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            JsonSerializer.SerializeToUtf8Bytes(answer, options);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Answer not writable",
                detail: $"The answer could not be written as JSON ({e.Message}); {nothingStored}");
        }
    }
}

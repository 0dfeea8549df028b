namespace LstmService.Infrastructure;

/// <summary>
/// Writes an error's ProblemDetails whatever the request's <c>Accept</c> says, registered after the framework's writer so it
/// answers only what that one declines. With <c>Accept: text/plain</c>, <c>text/event-stream</c> (an EventSource) or
/// <c>application/octet-stream</c> (a weights download), no writer had taken the problem: every error written by the
/// pipeline became an empty 500 with two stack traces in the log, and an endpoint's own lost its traceId (a QA pass).
/// A body the client did not ask for beats none; RFC 9110 lets a server disregard Accept rather than answer 406.
/// </summary>
public sealed class AnyAcceptProblemDetailsWriter(IServiceProvider services) : IProblemDetailsWriter
{
    // Looked up at the first error, not in the constructor: the list holds this writer too. AddProblemDetails registers the
    // framework's writer, and no other precedes this one.
    private IProblemDetailsWriter? _framework;

    public bool CanWrite(ProblemDetailsContext context) => true;

    /// <summary>Writes with the framework's writer, whose type, title, traceId and the service's customizations every other answer gets.</summary>
    public ValueTask WriteAsync(ProblemDetailsContext context) =>
        (_framework ??= services.GetServices<IProblemDetailsWriter>().First(w => w is not AnyAcceptProblemDetailsWriter)).WriteAsync(context);
}

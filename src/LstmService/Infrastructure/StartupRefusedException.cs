namespace LstmService.Infrastructure;

/// <summary>
/// The service refuses to start for a reason its message states in full, with what to do (another process holds the data
/// directory). <see cref="ServiceRunExtensions"/> logs it as one line, without a stack trace that would say nothing more.
/// </summary>
public sealed class StartupRefusedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The messages of <paramref name="error"/> and its inner exceptions, outermost first, without a final period.</summary>
    public static string Messages(Exception error)
    {
        var messages = new List<string>();
        // PostgreSQL's message adds lines of its own ("\n\nPOSITION: 28"): its text alone, and no exception's line breaks,
        // keep the refusal on the one line the log promises.
        for (var e = error; e is not null; e = e.InnerException)
        {
            var text = e is Npgsql.PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : e.Message;
            messages.Add(string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.'));
        }
        return string.Join(": ", messages);
    }
}

namespace LstmService.Infrastructure;

/// <summary>
/// What a request's handlers add to its log event (<see cref="RequestLog.Set"/>), kept with the request by
/// <see cref="RequestLoggingMiddleware"/> rather than in an AsyncLocal collector; a name set twice keeps its first place and
/// its last value. Not synchronized: a request's handler sets its properties on one flow of execution.
/// </summary>
public sealed class RequestLogFeature
{
    private List<KeyValuePair<string, object?>>? _properties;

    /// <summary>Whether the answer is a limit's deliberate refusal (backpressure), logged as a warning even as a 503.</summary>
    public bool Backpressure { get; set; }

    /// <summary>The properties in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Properties => (IReadOnlyList<KeyValuePair<string, object?>>?)_properties ?? [];

    /// <summary>Sets a property; an empty name is ignored, as Serilog's diagnostic context ignored it.</summary>
    public void Set(string name, object? value)
    {
        if (string.IsNullOrEmpty(name)) return;
        _properties ??= new(2);
        for (int i = 0; i < _properties.Count; i++)
            if (string.Equals(_properties[i].Key, name, StringComparison.Ordinal))
            {
                _properties[i] = new(name, value);
                return;
            }
        _properties.Add(new(name, value));
    }
}

namespace LstmService.Infrastructure;

/// <summary>
/// What a request's handlers add to its log event (<see cref="RequestLog.Set"/>), kept with the request by
/// <see cref="RequestLoggingMiddleware"/> rather than in an AsyncLocal collector; a name set twice keeps its first place and
/// its last value.
/// </summary>
public sealed class RequestLogFeature
{
    private readonly List<KeyValuePair<string, object?>> _properties = new(2);

    /// <summary>The properties in the order they were first set.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Properties => _properties;

    public void Set(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        for (int i = 0; i < _properties.Count; i++)
            if (string.Equals(_properties[i].Key, name, StringComparison.Ordinal))
            {
                _properties[i] = new(name, value);
                return;
            }
        _properties.Add(new(name, value));
    }
}

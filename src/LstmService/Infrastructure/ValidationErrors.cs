namespace LstmService.Infrastructure;

/// <summary>Collects "field → messages" for a 400 ValidationProblem; element errors are capped so one bad array can't produce a huge answer.</summary>
public sealed class ValidationErrors
{
    private const int MaxElementErrors = 20;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _elementErrors;

    public bool IsValid => _errors.Count == 0;

    /// <summary>The fields named so far.</summary>
    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Adds an error about one array element; past the cap, a single note says more were left out.</summary>
    public void AddElement(string field, string message, string arrayField)
    {
        if (++_elementErrors <= MaxElementErrors) Add(field, message);
        else if (_elementErrors == MaxElementErrors + 1) Add(arrayField, $"More than {MaxElementErrors} invalid values; only the first {MaxElementErrors} are listed.");
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Refuses a value outside min..max; <paramref name="maxSetting"/> names the operator's setting that sets max, if one does.</summary>
    public void Range(string field, int? value, int min, int max, string? maxSetting = null)
    {
        if (value is { } v && (v < min || v > max)) Add(field, $"Must be in {min}..{max}{(maxSetting is null || v < min ? "" : $" ({maxSetting})")}; got {v}.");
    }
}

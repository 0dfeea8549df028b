using System.Text.RegularExpressions;

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

    public void Range(string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max)) Add(field, $"Must be in {min}..{max}; got {v}.");
    }
}

public static partial class Names
{
    /// <summary>Model and alias names: safe in paths and file names, 1 to 64 characters.</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    public const string Rule = "Must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ (a letter or digit, then up to 63 letters, digits, '.', '_' or '-').";
}

/// <summary>Rejects a route's {name} or {alias} that isn't a safe name with a 400 naming the parameter.</summary>
public sealed class RouteNameFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new ValidationErrors();
        foreach (var key in (ReadOnlySpan<string>)["name", "alias"])
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue(key, out var value) && !Names.IsValid(value as string))
                errors.Add(key, Names.Rule);
        }
        return errors.IsValid ? next(context) : ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors.ToDictionary()));
    }
}

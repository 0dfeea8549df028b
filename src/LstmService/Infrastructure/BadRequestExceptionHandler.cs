using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LstmService.Infrastructure;

/// <summary>
/// Turns request-binding failures into ProblemDetails: malformed JSON or a value of the wrong type becomes a 400
/// naming the field (from the serializer's JSON path), and an oversized body a 413. Anything else is left to the
/// default handler (500 ProblemDetails without internals).
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, UnmatchedRequestProblems unmatched) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
            return true; // the client went away; there is no one to answer

        // A compressed body that does not decompress (plain JSON labelled gzip, a flipped bit, raw deflate without zlib's
        // header) throws from the decompressing stream as the handler reads it: the caller's 400, not a 500.
        if (RequestEncodings.Coding(httpContext) is { } coding && Causes(exception).FirstOrDefault(IsDecompressionFailure) is { } corrupt)
        {
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            var invalid = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["body"] = [$"The body is not valid {coding} data (Content-Encoding: {coding}): {corrupt.Message} Send it uncompressed, or as {coding} produces it ('deflate' is zlib's format, RFC 1950)."],
            }) { Status = 400, Title = "The request body could not be decompressed" };
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = invalid, Exception = exception });
        }

        if (exception is not BadHttpRequestException bad)
            return false;

        ProblemDetails problem;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            problem = new ProblemDetails { Status = 413, Title = "Request body too large", Detail = bad.Message };
        }
        else if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            // A body without a Content-Type reaches the JSON binder, which says only that it wanted JSON: say, as routing's
            // own 415 does, every type the endpoint takes (a training submit takes a CSV upload too).
            problem = new ProblemDetails { Status = 415, Title = "Unsupported Media Type", Detail = unmatched.Describe(httpContext.Request, 415) ?? bad.Message };
        }
        else if (FindJsonException(bad) is { } json)
        {
            var field = FieldName(json.Path);
            if (json is JsonArrayElementException element) field += $"[{element.Index}]"; // the serializer's path ends at the array
            // A body cut short: the reader's path points past its last element (series[1] of a one-series body), a field that
            // is not there, so the body itself is named.
            if (EndsEarly(json)) field = "body";
            var message = Describe(json);
            // Not JSON from its first byte (a CSV file sent as the body): where the endpoint takes a form too, say how to send it.
            if (json.LineNumber == 0 && json.BytePositionInLine == 0 && (json.Path is null or "$") && TakesForm(httpContext))
                message += " To upload a CSV file, send it as multipart/form-data with the file in the field 'file' (curl -F file=@data.csv -F horizon=12 ...).";
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = 400,
                Title = "The request body does not fit this endpoint", // malformed JSON, or JSON of another shape (an unknown field)
            };
        }
        else if (bad.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["A JSON body is required."] }) { Status = 400 };
        }
        else if (ParameterFailure().Match(bad.Message) is { Success: true } m)
        {
            // A route, query or body parameter that could not be bound, e.g. ?status=bogus or a missing body.
            var name = m.Groups["name"].Value;
            var field = name == "request" ? "body" : name;
            // A number's range when the value is a whole number out of it (?version=99999999999 is one, but not an int's); any
            // other value is told what it must be, not the type's range (?limit=abc is no number at all, its own bounds lower).
            var integer = WholeNumber().IsMatch(m.Groups["value"].Value);
            var range = NullableName().Replace(m.Groups["type"].Value, "$1") switch
            {
                "int" or "Int32" => integer ? $" Must be a whole number from {int.MinValue} to {int.MaxValue}." : " Must be a whole number.",
                "long" or "Int64" => integer ? $" Must be a whole number from {long.MinValue} to {long.MaxValue}." : " Must be a whole number.",
                "Guid" => " Must be a GUID.",
                _ => "",
            };
            var message = !m.Groups["value"].Success ? "Required."
                : name == "version" ? UnmatchedRequestProblems.VersionRule(m.Groups["value"].Value) // as the routes' {version} says it
                : $"Invalid value '{m.Groups["value"].Value}'.{range}";
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] }) { Status = 400 };
        }
        else
        {
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Whether the path takes a multipart/form-data body besides JSON (a training submit's CSV upload, another endpoint).</summary>
    private bool TakesForm(HttpContext http) =>
        unmatched.AcceptedTypes(http.Request).Any(t => t.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase));

    /// <summary>gzip and deflate throw InvalidDataException on bad data; Brotli's decoder another type, from its own namespace.</summary>
    private static bool IsDecompressionFailure(Exception e) =>
        e is InvalidDataException || e is InvalidOperationException or IOException && e.TargetSite?.DeclaringType?.Namespace == "System.IO.Compression";

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    // The framework's messages: Failed to bind parameter "T name" from "value". / Required parameter "T name" was not provided from body.
    // The framework writes "Nullable<int>" for int?.
    [GeneratedRegex(@"^Nullable<(.+)>$|\?$", RegexOptions.CultureInvariant)]
    private static partial Regex NullableName();

    [GeneratedRegex(@"^[+-]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex("""parameter "(?:(?<type>[^"]*) )?(?<name>[A-Za-z0-9_]+)" (?:from "(?<value>.*)"|was not provided)""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterFailure();

    private const string FiniteNumbers = "NaN and Infinity are not allowed; use null for a missing value";

    /// <summary>
    /// What the field takes, from the type the serializer names ("...could not be converted to System.Nullable`1[...RecurrentCell]"):
    /// an enum's names, an integer's range. Our own converters name "a number" or "an array of numbers" instead of a type.
    /// The source-generated serializer (the forecast body's) names the object holding the field instead: the field's own
    /// type is then found by the last name of <paramref name="path"/>.
    /// </summary>
    private static string DescribeConversion(string target, string? path)
    {
        if (target == "a number") return $"Must be a finite JSON number or null ({FiniteNumbers}).";
        if (target == "an array of numbers") return $"Must be an array of finite JSON numbers ({FiniteNumbers}).";
        if (FindType(NullableOf().Match(target) is { Success: true } n ? n.Groups["inner"].Value : target) is { } named)
        {
            var type = PropertyType(named, path) ?? named;
            var nullable = NullableOf().IsMatch(target) || Nullable.GetUnderlyingType(type) is not null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            // A float that may be null says so; one that may not (a quantile level) must not be told to use null.
            if (JsonValueRules.IsFloat(type))
                return nullable ? $"Must be a finite JSON number ({FiniteNumbers})." : "Must be a finite JSON number (NaN, Infinity and null are not allowed here).";
            if (JsonValueRules.Expected(type) is { } rule) return char.ToUpperInvariant(rule[0]) + rule[1..] + ".";
            if (IsDictionary(type) || !type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
                return "Must be a JSON object.";
            return "Must be a JSON array.";
        }
        return $"Invalid value for this field: numbers must be finite JSON numbers ({FiniteNumbers}), and text, booleans and arrays must have the documented type.";
    }

    /// <summary>The type of the property of <paramref name="owner"/> that a JSON path ends at ("$.series[0].id" on ForecastSeriesInput: string), or null.</summary>
    private static Type? PropertyType(Type owner, string? path)
    {
        if (path is null || owner.IsPrimitive || owner == typeof(string) || owner.IsAssignableTo(typeof(System.Collections.IEnumerable))) return null;
        var last = path[(path.LastIndexOf('.') + 1)..];
        if (last.Length == 0 || last.EndsWith(']')) return null;
        return owner.GetProperties().FirstOrDefault(p =>
            string.Equals(p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), true)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name ?? p.Name, last, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    /// <summary>
    /// "Unknown field." and the fields the object takes, when the serializer names its type: a forecast's series sent with
    /// "values" (training's name) had been told only that the field was unknown, not that it takes "history".
    /// </summary>
    private static string UnknownField(string message)
    {
        var type = MappedType().Match(message) is { Success: true } m ? FindType(m.Groups["type"].Value) : null;
        var names = type?.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanWrite && !p.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true))
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), true)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToArray();
        return names is { Length: > 0 } ? $"Unknown field. This object's fields are {string.Join(", ", names)}." : "Unknown field.";
    }

    /// <summary>Whether a type is read from a JSON object: a dictionary, generic (read-only or not) or not.</summary>
    private static bool IsDictionary(Type type) =>
        type.IsAssignableTo(typeof(System.Collections.IDictionary))
        || (type.IsGenericType ? [type, .. type.GetInterfaces()] : type.GetInterfaces()).Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    /// <summary>
    /// A type the serializer named by its full name (generic arguments included, without assemblies), looked up in the
    /// loaded assemblies: the request types are in them.
    /// </summary>
    private static Type? FindType(string fullName) =>
        Type.GetType(fullName, assemblyResolver: null, typeResolver: (assembly, name, ignoreCase) =>
            assembly?.GetType(name, false, ignoreCase) ?? Type.GetType(name, false, ignoreCase)
            ?? AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).Select(a => a.GetType(name, false, ignoreCase)).FirstOrDefault(t => t is not null),
            throwOnError: false);

    [GeneratedRegex(@"could not be converted to (?<type>.+?)\.(?: Path:|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionTarget();

    [GeneratedRegex(@"could not be mapped to any \.NET member contained in type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex MappedType();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"^'[NI]' is an invalid start of a value|^'I' is invalid within a number, immediately after a sign", RegexOptions.CultureInvariant)]
    private static partial Regex BareNonNumber();

    [GeneratedRegex("^Duplicate property '(?<name>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateName();

    private static JsonException? FindJsonException(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            if (x is JsonException j) return j;
        return null;
    }

    /// <summary>"$.series[0].values[3]" → "series[0].values[3]"; the root → "body".</summary>
    internal static string FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    /// <summary>Whether the body ended before its JSON did (an object or array left open, a string or number cut off).</summary>
    internal static bool EndsEarly(JsonException e) =>
        e.Message.Contains("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal)
        || e.Message.Contains("reached end of data", StringComparison.Ordinal);

    internal static string Describe(JsonException e)
    {
        var message = e.Message;
        if (EndsEarly(e))
            return "The JSON body ends before it is complete: an object or array it opens is not closed (a '}' or ']' missing), or it is cut short.";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return UnknownField(message);
        // Python's json.dumps writes a float('nan') or an infinity bare, which JSON has no literal for: the reader had only
        // said "'N' is an invalid start of a value".
        if (BareNonNumber().IsMatch(message))
            return "Not a JSON value: a bare NaN, Infinity, -Infinity or None is not JSON; send null for a missing value (Python's json.dumps writes float('nan') bare unless allow_nan=False, and None as null).";
        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            // The path names the repeated key, except inside a free-form JSON value (a stateDict), where only the message does.
            var key = DuplicateName().Match(message) is { Success: true } d ? d.Groups["name"].Value : null;
            return key is null || FieldName(e.Path).EndsWith(key, StringComparison.OrdinalIgnoreCase)
                ? "Given more than once; each key may appear once in an object."
                : $"Key '{key}' is given more than once in this object; each key may appear once.";
        }
        // A string the reader could not decode: an unpaired surrogate escape ("\ud800") or bytes that are not UTF-8.
        if (e.InnerException is InvalidOperationException { Message: var inner } && (inner.Contains("surrogate", StringComparison.Ordinal) || inner.Contains("UTF-", StringComparison.Ordinal)))
            return "Must be valid text: an escape of half a surrogate pair (\\ud800 alone) or bytes that are not UTF-8 have no character.";
        if (ConversionTarget().Match(message) is { Success: true } c)
        {
            var rule = DescribeConversion(c.Groups["type"].Value, e.Path);
            // "3" or "0.5" in quotes for a number: the type's range, decimal point or NaN are beside the point, the quotes are not.
            bool quoted = e.InnerException is InvalidOperationException { Message: var reader } && reader.Contains("token type 'String'", StringComparison.Ordinal)
                || e is JsonArrayElementException { Quoted: true };
            // A value of a series in quotes ("values": [1, "3"]): told of the quotes, where it had been told of NaN (a QA pass).
            if (quoted && c.Groups["type"].Value == "a number")
                return $"Must be a JSON number or null, not a string (3, not \"3\"; {FiniteNumbers}).";
            if (quoted && rule.Contains("whole number", StringComparison.Ordinal)) return "Must be a JSON number, not a string: a whole number without quotes (3, not \"3\").";
            // The rule's own advice (NaN and Infinity are not numbers; null marks a missing value) still applies to "NaN".
            const string finite = "Must be a finite JSON number (";
            return quoted && rule.StartsWith(finite, StringComparison.Ordinal) ? $"Must be a finite JSON number, not a string (0.5, not \"0.5\"; {rule[finite.Length..]}" : rule;
        }
        // The reader's advice ("Change the reader options.") is for our code, not the client: say what is not allowed.
        if (message.Contains("trailing comma", StringComparison.Ordinal))
            return "Trailing commas are not allowed: remove the comma after the last element of the array or field of the object.";
        // Other syntax errors: the reader's own sentence, without the serializer's path (the key names it) or type names.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Replace(" Change the reader options.", "", StringComparison.Ordinal);
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LstmService.Training;

/// <summary>
/// A training job submitted as multipart/form-data: a CSV file in the field <c>file</c> and, optionally, the same
/// hyperparameters as the JSON body as form fields (<c>horizon=10</c>, <c>quantiles=0.1,0.5,0.9</c>). The upload is
/// turned into the same <see cref="TrainingRequest"/> the JSON path binds, so one validator checks both.
/// The multipart body is read as a stream (the CSV is parsed while it arrives; nothing is buffered to disk).
/// The form-only field <c>covariateColumns=temp,price</c> makes those value columns covariates of every other value column
/// (which remain the series) instead of series of their own; in long format (a row per id and time) each id's own.
/// </summary>
/// <param name="Request">The training request the form amounts to.</param>
/// <param name="Table">The parsed CSV.</param>
/// <param name="SeriesColumns">The value columns that became series, in request order.</param>
/// <param name="CovariateColumns">The value columns that became every series' covariates.</param>
public sealed partial record TrainingUpload(TrainingRequest Request, CsvTable Table, IReadOnlyList<CsvValueColumn> SeriesColumns, IReadOnlyList<CsvValueColumn> CovariateColumns)
{
    public const string FileField = "file";
    /// <summary>Form-only field: CSV columns that are covariates of every value series (comma-separated headers).</summary>
    public const string CovariateColumnsField = "covariateColumns";

    /// <summary>The training request's fields a CSV upload never takes (classification's), left out of the form's schema too.</summary>
    public static readonly string[] ClassificationOnly = ["validationSplit", "classWeights"];

    const string ClassificationTakesJson = "A CSV upload trains a forecaster: a classification job takes JSON, each series a labelled sequence ({\"task\": \"classification\", \"series\": [{\"values\": [...], \"label\": \"up\"}]}).";
    private const int MaxFormFields = 64, MaxFieldChars = 64 * 1024;

    /// <summary>
    /// Reads the form; null with errors added (under "file", "body" or the field's name) when it is not usable. A file with
    /// more columns than <paramref name="maxSeries"/> series, their covariates, a time column and a row index could need is
    /// refused at its header.
    /// </summary>
    public static async Task<TrainingUpload?> ReadAsync(HttpRequest http, JsonSerializerOptions json, int maxSeries, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var boundary = MediaTypeHeaderValue.TryParse(http.ContentType, out var mediaType)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
            : null;
        if (string.IsNullOrWhiteSpace(boundary))
        {
            errors.Add("body", "A multipart/form-data body needs a boundary in its Content-Type header.");
            return null;
        }

        CsvTable? table = null;
        var files = 0;
        var fields = new List<(string Name, string Value)>();
        var reader = new MultipartReader(boundary, http.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    errors.Add("body", "Every part of the form needs a 'Content-Disposition: form-data; name=...' header.");
                    return null;
                }
                if (name.Equals(FileField, StringComparison.OrdinalIgnoreCase))
                {
                    if (++files > 1) { errors.Add(FileField, "Upload one CSV file per job (several columns become several series)."); continue; }
                    // UTF-8 unless a byte order mark says UTF-16 or UTF-32; bytes the encoding does not allow are refused, not replaced, so
                    // a header such as "Verkäufe (€)" saved as Windows-1252 never becomes a series id nobody can name.
                    var (text, workbook) = await CsvUploadText.OpenAsync(section.Body, cancellationToken);
                    using var _ = text;
                    if (workbook is not null)
                    {
                        // Its bytes are no text at all: read as UTF-8, it had been told to convert from Windows-1252 (a QA pass).
                        errors.Add(FileField, $"Not a CSV file: this is {workbook}. Save the sheet as \"CSV UTF-8 (comma delimited)\" and upload that.");
                        return null;
                    }
                    try
                    {
                        table = await CsvSeriesReader.ReadAsync(text, errors, FileField, cancellationToken, maxColumns: maxSeries + TrainingRequestValidator.MaxCovariates + 3, maxSeries);
                    }
                    catch (DecoderFallbackException)
                    {
                        errors.Add(FileField, text.CurrentEncoding is UnicodeEncoding or UTF32Encoding
                            ? $"The file starts with {(text.CurrentEncoding is UTF32Encoding ? "UTF-32" : "UTF-16")}'s byte order mark but holds bytes it does not allow. Save it as \"CSV UTF-8\"."
                            : "The file is not UTF-8: it holds bytes UTF-8 does not allow (a file saved as Windows-1252 or " +
                            "Latin-1, as Excel's plain \"CSV\" is in Western Europe). Save it as \"CSV UTF-8\", or convert it " +
                            "(iconv -f WINDOWS-1252 -t UTF-8 file.csv).");
                        return null;
                    }
                }
                else if (fields.Count >= MaxFormFields)
                {
                    errors.Add("body", $"At most {MaxFormFields} form fields besides the file.");
                    return null;
                }
                else if (await ReadFieldAsync(section.Body, cancellationToken) is { } value)
                {
                    fields.Add((name, value));
                }
                else
                {
                    errors.Add(name, $"Too long: at most {MaxFieldChars} characters.");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException || e is IOException and not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The multipart framing itself is broken (no boundary line, a missing end boundary, oversized part headers, ...).
            // A body over the size limit (BadHttpRequestException, 413) and a client that went away are not this.
            errors.Add("body", "The multipart/form-data body is malformed: " +
                (e is InvalidDataException ? e.Message : $"it ends before its closing boundary '--{boundary}--'."));
            return null;
        }

        var covariateNames = new List<string>();
        foreach (var (_, value) in fields.Where(f => f.Name.Equals(CovariateColumnsField, StringComparison.OrdinalIgnoreCase)))
        {
            var names = SplitList(value).ToList();
            // "," or '[""]' names nothing: it had trained without covariates, as if the field were not given.
            if (names.Count == 0 && value.Trim() is { Length: > 0 } given && !IsEmptyList(given))
                errors.Add(CovariateColumnsField, $"'{Shorten(given)}' names no column: give the covariate columns' headers, separated by commas.");
            covariateNames.AddRange(names);
        }
        fields.RemoveAll(f => f.Name.Equals(CovariateColumnsField, StringComparison.OrdinalIgnoreCase));

        var request = ToRequest(fields, json, errors);
        if (files == 0)
            errors.Add(FileField, "Required: a CSV file in the form field 'file' (a header row, an optional time column and one or more value columns), " +
                "e.g. curl -F file=@data.csv -F horizon=10.");
        if (request is null || table is null) return null;

        var (seriesColumns, covariateColumns) = SplitColumns(table, covariateNames, errors);
        if (seriesColumns is null) return null;
        // Every series gets its own id's covariate columns: all of them in a wide file, its rows' in long format.
        var covariates = covariateColumns.GroupBy(c => c.Id ?? "").ToDictionary(g => g.Key,
            g => g.ToDictionary(c => c.Name, c => (IReadOnlyList<double?>)c.Values, StringComparer.Ordinal), StringComparer.Ordinal);
        // In long format an id with one value column is that series' id; with several, each column's series is id/column.
        var perId = seriesColumns.Select(c => c.Number).Distinct().Count();
        var series = seriesColumns.Select(c => new SeriesInput
        {
            Id = c.Id is null ? c.Name : perId == 1 ? c.Id : $"{c.Id}/{c.Name}",
            Values = c.Values,
            Covariates = covariates.GetValueOrDefault(c.Id ?? ""),
        }).ToArray();
        return new TrainingUpload(request with { Series = series }, table, seriesColumns, covariateColumns);
    }

    /// <summary>
    /// The value columns split into series and covariates by <c>covariateColumns</c> (headers; in long format each names
    /// that column of every id); null series (with errors under that field) when it names no usable column.
    /// </summary>
    private static (IReadOnlyList<CsvValueColumn>? Series, IReadOnlyList<CsvValueColumn> Covariates) SplitColumns(CsvTable table, List<string> names, ValidationErrors errors)
    {
        if (names.Count == 0) return (table.Columns, []);
        var fileColumns = table.Columns.DistinctBy(c => c.Number).ToArray();
        var chosen = new HashSet<int>();
        var valid = true;
        foreach (var name in names)
        {
            var alike = fileColumns.Where(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToArray();
            var column = fileColumns.FirstOrDefault(c => c.Name == name) ?? (alike.Length == 1 ? alike[0] : null);
            if (column is null && alike.Length > 1)
            {
                errors.Add(CovariateColumnsField, $"'{name}' matches the headers {string.Join(" and ", alike.Select(c => $"'{c.Name}'"))}, which differ only in case; give one as it is written.");
                valid = false;
            }
            else if (column is null)
            {
                errors.Add(CovariateColumnsField, name == table.TimeColumn || table.IdColumns?.Contains(name) == true
                    ? $"'{name}' is the {(name == table.TimeColumn ? "time" : "id")} column; covariates are value columns."
                    : $"The CSV has no value column '{name}' (its value columns: {string.Join(", ", fileColumns.Select(c => c.Name))}).");
                valid = false;
            }
            else if (!chosen.Add(column.Number)) { errors.Add(CovariateColumnsField, $"'{name}' is given more than once."); valid = false; }
        }
        var series = table.Columns.Where(c => !chosen.Contains(c.Number)).ToArray();
        var covariates = table.Columns.Where(c => chosen.Contains(c.Number)).ToArray();
        if (valid && series.Length == 0)
        {
            errors.Add(CovariateColumnsField, "Every value column is a covariate: leave at least one column to forecast.");
            valid = false;
        }
        return valid ? (series, covariates) : (null, covariates);
    }

    /// <summary>Whether a form field gives the empty list ("[]", "[ ]"), which lists nothing on purpose.</summary>
    private static bool IsEmptyList(string value) => value.Replace(" ", "", StringComparison.Ordinal) is "[]";

    private static IEnumerable<string> SplitList(string value) =>
        value.Trim().Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.Trim('"')).Where(v => v.Length > 0);

    /// <summary>
    /// The validator names series fields as in the JSON body ("series[1].values[7]"); for an upload they are named by the
    /// CSV's column and line instead, all under "file".
    /// </summary>
    public Dictionary<string, string[]> DescribeErrors(Dictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var file = new List<string>();
        foreach (var (key, given) in errors)
        {
            // A message may quote another value by its JSON path ("log needs positive values: series[0].values[4] is 0"): the
            // file has no such field, so it is named by its line and column there too.
            string[] messages = [.. given.Select(message => QuotedField().Replace(message, q => Locate(q.Value) ?? q.Value))];
            var m = SeriesField().Match(key);
            if (!m.Success) { result[key] = messages; continue; }
            var column = ColumnOf(m);
            var named = column is null ? "" : $"column {column.Number} ('{column.Name}'{(column.Id is null ? "" : $", id '{column.Id}'")})";
            var prefix = column is null ? "" : char.ToUpperInvariant(named[0]) + named[1..];
            if (column is not null && m.Groups["value"].Success)
                prefix = $"Line {(column.Lines ?? Table.RowLines)[int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)]}, {named}";
            file.AddRange(messages.Select(message => prefix.Length == 0 ? message : $"{prefix}: {message}"));
        }
        // Every series carries the same covariate columns, so their problems would repeat once per series.
        if (file.Count > 0) result[FileField] = [.. result.GetValueOrDefault(FileField, []), .. file.Distinct()];
        return result;
    }

    /// <summary>The file's column a series field path names (<see cref="SeriesField"/>'s match): a series' own, or its covariate's.</summary>
    CsvValueColumn? ColumnOf(Match m)
    {
        var series = m.Groups["series"].Success ? SeriesColumns.ElementAtOrDefault(int.Parse(m.Groups["series"].Value, CultureInfo.InvariantCulture)) : null;
        return m.Groups["covariate"].Success ? CovariateColumns.FirstOrDefault(c => c.Name == m.Groups["covariate"].Value && (series is null || c.Id == series.Id)) : series;
    }

    /// <summary>A value's JSON path (series[0].values[4], series[0].covariates.temp[4]) as the file's line and column, or null.</summary>
    string? Locate(string path)
    {
        var m = SeriesField().Match(path);
        if (!m.Success || !m.Groups["value"].Success || !m.Groups["series"].Success || ColumnOf(m) is not { } column) return null;
        var lines = column.Lines ?? Table.RowLines;
        int index = int.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        return index < lines.Count ? $"line {lines[index]}, column {column.Number} ('{column.Name}')" : null;
    }

    [GeneratedRegex(@"^series(\[(?<series>\d+)\])?(\.values|\.id|\.covariates(\.(?<covariate>.+?))?)?(\[(?<value>\d+)\])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SeriesField();

    [GeneratedRegex(@"series\[\d+\](\.values|\.covariates\.[^\s\[\]]+)\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedField();

    /// <summary>
    /// "Unknown field." and the fields the form takes, as the JSON body's error lists its object's: a QA pass had got the word
    /// alone for a form field the JSON body would have named the alternatives of.
    /// </summary>
    static string UnknownField(IEnumerable<System.Text.Json.Serialization.Metadata.JsonPropertyInfo> properties) =>
        $"Unknown field. The form's fields are {FileField}, {CovariateColumnsField}, " +
        string.Join(", ", properties.Select(p => p.Name).Where(n => n != "series" && !ClassificationOnly.Contains(n))) + ".";

    /// <summary>
    /// Form fields → the JSON body's object, deserialized with the API's JSON options: field names, types and unknown
    /// fields are then handled exactly as in the JSON body, including fields added to <see cref="TrainingRequest"/> later.
    /// Empty fields count as not given.
    /// </summary>
    internal static TrainingRequest? ToRequest(IReadOnlyList<(string Name, string Value)> fields, JsonSerializerOptions json, ValidationErrors errors)
    {
        var properties = json.GetTypeInfo(typeof(TrainingRequest)).Properties;
        var body = new JsonObject();
        var valid = true;
        foreach (var (name, raw) in fields)
        {
            var value = raw.Trim();
            if (value.Length == 0) continue;
            var property = properties.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (property is null) { errors.Add(name, UnknownField(properties)); valid = false; continue; }
            var key = property.Name;
            if (key == "series") { errors.Add(key, $"Give the series as a CSV file in the form field '{FileField}'."); valid = false; continue; }
            // A CSV's columns are series without labels: classification's labelled sequences come as JSON only.
            if (key == "task" && value.Equals("classification", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(key, ClassificationTakesJson);
                return null;
            }
            // Classification's own fields: their usual message ("set task to classification") would send the caller in a circle.
            if (ClassificationOnly.Contains(key))
            {
                errors.Add(key, $"For classification only, which a CSV upload does not train: {ClassificationTakesJson}");
                valid = false;
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = ElementType(type);
            if (element is not null)
            {
                // Lists: "0.1,0.5,0.9", "[0.1, 0.5]" or the field repeated; "[]" or "none" for an empty list.
                var array = body[key] as JsonArray ?? (JsonArray)(body[key] = new JsonArray());
                if (IsEmptyList(value) || value.Equals("none", StringComparison.OrdinalIgnoreCase)) continue;
                // A JSON list's strings come quoted (["price"]): the quotes are the list's, not the name's.
                var items = value.Trim('[', ']').Split([',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(i => i.Trim('"')).Where(i => i.Length > 0).ToList();
                if (items.Count == 0) { errors.Add(key, $"'{Shorten(value)}' lists nothing: give its values separated by commas, or [] for none."); valid = false; }
                foreach (var item in items)
                {
                    if (ToNode(item, element) is { } node) array.Add(node);
                    else { errors.Add(key, $"Invalid value '{item}': {FormFieldRules.Expected(element)}."); valid = false; }
                }
                continue;
            }
            if (body.ContainsKey(key)) { errors.Add(key, "Given more than once."); valid = false; continue; }
            if (ToNode(value, type) is { } scalar) body[key] = scalar;
            else { errors.Add(key, $"Invalid value '{value}': {FormFieldRules.Expected(type)}."); valid = false; }
        }
        // Each field on its own first, so every bad one is named (e.g. epochs=3.5 for an integer), not only the first.
        foreach (var property in properties)
        {
            if (body[property.Name] is not { } node) continue;
            try { node.Deserialize(property.PropertyType, json); }
            catch (JsonException)
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                var text = node is JsonValue v && v.TryGetValue<string>(out var str) ? str : node.ToJsonString();
                errors.Add(property.Name, $"Invalid value '{Shorten(text)}': {FormFieldRules.Expected(ElementType(type) ?? type)}.");
                valid = false;
            }
        }
        if (!valid) return null;

        try
        {
            return body.Deserialize<TrainingRequest>(json) ?? new TrainingRequest();
        }
        catch (JsonException e)
        {
            errors.Add(BadRequestExceptionHandler.FieldName(e.Path), BadRequestExceptionHandler.Describe(e));
            return null;
        }
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !type.IsGenericType && !type.IsArray) return null;
        if (type.IsArray) return type.GetElementType();
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static JsonNode? ToNode(string value, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsEnum) return JsonValue.Create(value);
        if (type == typeof(bool))
            return value.ToLowerInvariant() switch
            {
                "true" or "on" or "yes" or "1" => JsonValue.Create(true),
                "false" or "off" or "no" or "0" => JsonValue.Create(false),
                _ => null,
            };
        if (IsNumber(type))
            return JsonNumber().IsMatch(value) ? JsonNode.Parse(value) : null;
        // Anything else (an object-valued field) as JSON text.
        try { return JsonNode.Parse(value); }
        catch (JsonException) { return null; }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    internal static bool IsNumber(Type type) => Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    /// <summary>A text field, or null when it is longer than <see cref="MaxFieldChars"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        return length > MaxFieldChars ? null : new string(buffer, 0, length);
    }
}

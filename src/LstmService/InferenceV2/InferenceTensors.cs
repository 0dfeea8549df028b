using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LstmService.Forecasts;

namespace LstmService.InferenceV2;

/// <summary>
/// The protocol's tensors mapped onto the forecast endpoint's request and back: <c>history</c> [batch, length] becomes one
/// series per row; <c>lengths</c> [batch] keeps each row's first lengths[i] values (rows of different lengths padded at the
/// end); <c>covariates.&lt;name&gt;</c> and <c>future_covariates.&lt;name&gt;</c> become the series' covariates. JSON has no NaN,
/// so a missing value is null in the data (the forecast endpoint's rules: a trailing gap is forecast through, and at most half of the window before it may be missing).
/// </summary>
public static partial class InferenceTensors
{
    public const string History = "history", Lengths = "lengths", CovariatePrefix = "covariates.", FutureCovariatePrefix = "future_covariates.",
        Mean = "mean", QuantilePrefix = "quantile_", HorizonParameter = "horizon";

    /// <summary>The output tensor of a quantile level, e.g. quantile_0.1.</summary>
    public static string QuantileOutput(float level) => QuantilePrefix + level.ToString(CultureInfo.InvariantCulture);

    /// <summary>The forecast request the tensors describe, or null with the problems added to <paramref name="errors"/>.</summary>
    public static ForecastRequest? ToForecastRequest(InferenceRequest request, List<string> errors)
    {
        var inputs = request.Inputs;
        if (inputs is null || inputs.Count == 0)
        {
            errors.Add("inputs: required; give the FP32 tensor 'history' of shape [batch, length].");
            return null;
        }
        var horizon = ReadHorizon(request.Parameters, errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        InferenceRequestInput? history = null, lengths = null;
        var covariates = new List<(string Name, InferenceRequestInput Input)>();
        var future = new List<(string Name, InferenceRequestInput Input)>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var name = input?.Name;
            if (input is null || string.IsNullOrEmpty(name)) { errors.Add($"inputs[{i}].name: required."); continue; }
            if (!seen.Add(name)) { errors.Add($"inputs[{i}]: input '{name}' is given twice."); continue; }
            if (name == History) history = input;
            else if (name == Lengths) lengths = input;
            else if (name.StartsWith(CovariatePrefix, StringComparison.Ordinal) && name.Length > CovariatePrefix.Length)
                covariates.Add((name[CovariatePrefix.Length..], input));
            else if (name.StartsWith(FutureCovariatePrefix, StringComparison.Ordinal) && name.Length > FutureCovariatePrefix.Length)
                future.Add((name[FutureCovariatePrefix.Length..], input));
            else errors.Add($"inputs[{i}]: unknown input '{name}'; this model reads {History}, {Lengths}, {CovariatePrefix}<name> and {FutureCovariatePrefix}<name> (see the model's metadata).");
        }
        if (history is null)
        {
            if (errors.Count == 0) errors.Add($"inputs: the FP32 tensor '{History}' of shape [batch, length] is required.");
            return null;
        }

        var values = ReadMatrix(history, errors);
        if (values is null) return null;
        var (batch, length, data) = values.Value;
        var counts = lengths is null ? null : ReadLengths(lengths, batch, length, errors);
        var past = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, input) in covariates)
            if (ReadMatrix(input, errors) is { } m)
            {
                if (m.Rows != batch || m.Columns != length)
                    errors.Add($"{input.Name}: shape [{m.Rows}, {m.Columns}] differs from {History}'s [{batch}, {length}]; a covariate's history is aligned with it.");
                else past[name] = m.Data;
            }
        var ahead = new Dictionary<string, (int Columns, float[] Data)>(StringComparer.Ordinal);
        foreach (var (name, input) in future)
            if (ReadMatrix(input, errors) is { } m)
            {
                if (m.Rows != batch) errors.Add($"{input.Name}: {m.Rows} rows, but {History} has {batch}; one row per series.");
                else ahead[name] = (m.Columns, m.Data);
            }
        if (errors.Count > 0) return null;

        var series = new ForecastSeriesInput[batch];
        for (var b = 0; b < batch; b++)
        {
            var n = counts?[b] ?? length;
            series[b] = new ForecastSeriesInput
            {
                History = data.AsSpan(b * length, n).ToArray(),
                Covariates = past.Count == 0 ? null : past.ToDictionary(kv => kv.Key, kv => Row(kv.Value, b * length, n)),
                FutureCovariates = ahead.Count == 0 ? null : ahead.ToDictionary(kv => kv.Key, kv => Row(kv.Value.Data, b * kv.Value.Columns, kv.Value.Columns)),
            };
        }
        return new ForecastRequest { Series = series, Horizon = horizon };
    }

    private static IReadOnlyList<double?> Row(float[] data, int start, int count)
    {
        var row = new double?[count];
        for (var j = 0; j < count; j++) row[j] = float.IsNaN(data[start + j]) ? null : data[start + j];
        return row;
    }

    private static int? ReadHorizon(Dictionary<string, JsonElement>? parameters, List<string> errors)
    {
        if (parameters is null || !parameters.TryGetValue(HorizonParameter, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var h)) return h;
        errors.Add($"parameters.{HorizonParameter}: must be an integer number of steps.");
        return null;
    }

    /// <summary>
    /// A rank-2 FP32 tensor: its rows, columns and elements in row-major order (NaN for null). FP64 is taken too and
    /// rounded, since clients holding doubles (numpy's default) would otherwise have to convert what JSON carries the same.
    /// </summary>
    private static (int Rows, int Columns, float[] Data)? ReadMatrix(InferenceRequestInput input, List<string> errors)
    {
        var name = input.Name;
        if (input.Datatype is not ("FP32" or "FP64"))
        {
            errors.Add($"{name}: datatype must be FP32 (or FP64, rounded to FP32); got {input.Datatype ?? "none"}.");
            return null;
        }
        if (input.Shape is not { Count: 2 } shape || shape[0] < 1 || shape[1] < 1)
        {
            errors.Add($"{name}: shape must be [batch, length] with both at least 1; got {Describe(input.Shape)}.");
            return null;
        }
        if (shape[0] > int.MaxValue || shape[1] > int.MaxValue || shape[0] * shape[1] > int.MaxValue)
        {
            errors.Add($"{name}: shape {Describe(shape)} holds more than {int.MaxValue} elements, more than any body could carry.");
            return null;
        }
        // Counted before anything is allocated: the shape alone must not size a buffer (the body's limit bounds the data).
        var count = 0;
        if (!Count(input.Data, name!, (int)shape[0], (int)shape[1], ref count, errors)) return null;
        if (count != shape[0] * shape[1])
        {
            errors.Add($"{name}: shape {Describe(shape)} holds {shape[0] * shape[1]} elements, but data has {count}.");
            return null;
        }
        var data = new float[count];
        var filled = 0;
        return Fill(input.Data, name!, (int)shape[1], data, ref filled, errors) ? ((int)shape[0], (int)shape[1], data) : null;
    }

    /// <summary>
    /// The element at a row-major index named as the forecast's errors are (history[1][5]), whether data came flat or
    /// nested; an index past the declared shape by its position in data.
    /// </summary>
    private static string Element(string name, int index, int columns, int total) =>
        index < total ? $"{name}[{index / columns}][{index % columns}]" : $"{name}: element {index} of data";

    /// <summary>
    /// The elements of a flat array, or of one nested as the shape says (<paramref name="rows"/> arrays of
    /// <paramref name="columns"/>), each a number or null; false (with the problem added) for anything else. Nesting that
    /// disagrees with the shape (two rows of 20 for [1, 40], a transposed tensor) is refused rather than read row-major.
    /// </summary>
    private static bool Count(JsonElement element, string name, int rows, int columns, ref int count, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{name}: data must be an array of numbers (flat or nested per dimension).");
            return false;
        }
        var nested = false;
        foreach (var item in element.EnumerateArray()) nested |= item.ValueKind == JsonValueKind.Array;
        if (!nested) return CountNumbers(element, name, columns, rows * columns, ref count, errors);

        var shape = $"[{rows}, {columns}]";
        if (element.GetArrayLength() != rows)
        {
            errors.Add($"{name}: data nested by row must hold the shape's {rows} rows of {columns} ({shape}); it holds {element.GetArrayLength()} elements.");
            return false;
        }
        var row = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{name}: data mixes numbers and rows at its top level; give it flat or as {rows} rows of {columns} ({shape}).");
                return false;
            }
            if (item.GetArrayLength() != columns)
            {
                errors.Add($"{name}[{row}]: a row of shape {shape} holds {columns} elements; this one holds {item.GetArrayLength()}.");
                return false;
            }
            if (!CountNumbers(item, name, columns, rows * columns, ref count, errors)) return false;
            row++;
        }
        return true;
    }

    /// <summary>The elements of one array that must hold numbers or nulls only.</summary>
    private static bool CountNumbers(JsonElement array, string name, int columns, int total, ref int count, List<string> errors)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
            {
                var kind = item.ValueKind switch
                {
                    JsonValueKind.String => "a string", JsonValueKind.Object => "an object",
                    JsonValueKind.Array => "an array (nested deeper than [batch, length])", _ => "a boolean",
                };
                errors.Add($"{Element(name, count, columns, total)}: must be a number or null (a missing value); got {kind}.");
                return false;
            }
            count++;
        }
        return true;
    }

    /// <summary>Copies the counted elements in row-major order (null: NaN); false for a number beyond the FP32 range.</summary>
    private static bool Fill(JsonElement element, string name, int columns, float[] data, ref int index, List<string> errors)
    {
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                if (!Fill(item, name, columns, data, ref index, errors)) return false;
                continue;
            }
            if (item.ValueKind == JsonValueKind.Null) data[index] = float.NaN;
            else
            {
                var x = item.GetDouble();
                if (!double.IsFinite(x) || Math.Abs(x) > float.MaxValue)
                {
                    errors.Add($"{Element(name, index, columns, data.Length)}: out of the FP32 range.");
                    return false;
                }
                data[index] = (float)x;
            }
            index++;
        }
        return true;
    }

    private static int[]? ReadLengths(InferenceRequestInput input, int batch, int length, List<string> errors)
    {
        if (input.Datatype is not ("INT32" or "INT64" or "UINT32" or "UINT64" or "INT16" or "UINT16" or "INT8" or "UINT8"))
        {
            errors.Add($"{Lengths}: datatype must be INT32 (or another integer type); got {input.Datatype ?? "none"}.");
            return null;
        }
        if (input.Shape is not { Count: 1 } shape || shape[0] != batch)
        {
            errors.Add($"{Lengths}: shape must be [{batch}] (one per row of {History}); got {Describe(input.Shape)}.");
            return null;
        }
        var result = new int[batch];
        var i = 0;
        if (input.Data.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{Lengths}: data must be a flat array of {batch} integers.");
            return null;
        }
        foreach (var item in input.Data.EnumerateArray())
        {
            if (i >= batch) { i++; break; }
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var n) || n < 1 || n > length)
            {
                errors.Add($"{Lengths}[{i}]: must be an integer in 1..{length} (the row's values before its padding).");
                return null;
            }
            result[i++] = n;
        }
        if (i != batch)
        {
            errors.Add($"{Lengths}: data must be a flat array of {batch} integers.");
            return null;
        }
        return result;
    }

    private static string Describe(IReadOnlyList<long>? shape) => shape is null ? "none" : "[" + string.Join(", ", shape) + "]";

    /// <summary>
    /// The forecast endpoint's field paths in the protocol's terms: series[2].history[5] is row 2 of history, element 5;
    /// series[0].covariates.price is covariates.price, row 0; horizon is parameters.horizon.
    /// </summary>
    public static string FieldName(string field)
    {
        if (field == "horizon") return "parameters." + HorizonParameter;
        if (field == "series") return History;
        var m = SeriesField().Match(field);
        if (!m.Success) return field;
        var row = m.Groups["row"].Value;
        var tensor = m.Groups["cov"].Success ? CovariatePrefix + m.Groups["cov"].Value
            : m.Groups["fut"].Success ? FutureCovariatePrefix + m.Groups["fut"].Value
            : History;
        return m.Groups["col"].Success ? $"{tensor}[{row}][{m.Groups["col"].Value}]" : $"{tensor}[{row}]";
    }

    [GeneratedRegex(@"^series\[(?<row>\d+)\]\.(?:history|covariates\.(?<cov>.+?)|futureCovariates\.(?<fut>.+?))(?:\[(?<col>\d+)\])?$")]
    private static partial Regex SeriesField();
}

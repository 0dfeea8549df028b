using System.Globalization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Registry;

namespace LstmService.Streams;

/// <summary>
/// Checks what a stream request brings against the version it streams with: values as float32 (null = missing), covariates
/// aligned with them, the known future of covariates known in advance, positive values for a log-scale model. Every problem
/// is added to the errors under the field's name, so one answer lists them all.
/// </summary>
public static class StreamInputs
{
    /// <summary>Ids the service gives streams: 32 lowercase hexadecimal digits.</summary>
    public static bool IsStreamId(string? id) => id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>A series id (<see cref="SeriesIds"/>), required for a stream; refused under <paramref name="field"/> (an imported state's own is state.seriesId).</summary>
    public static void SeriesId(string? id, ValidationErrors errors, string field = "seriesId")
    {
        if (!SeriesIds.IsValid(id))
            errors.Add(field, string.IsNullOrEmpty(id) ? $"Required: {SeriesIds.Rule}." : SeriesIds.Refusal(id));
    }

    /// <summary>The values as float32 (NaN for null); non-positive values refused for a log-scale model.</summary>
    public static float[] Values(IReadOnlyList<double?> source, string field, ForecastModel model, ValidationErrors errors)
    {
        var values = new float[source.Count];
        for (var j = 0; j < source.Count; j++)
        {
            var x = source[j];
            if (x is null) values[j] = float.NaN;
            else if (!double.IsFinite(x.Value)) errors.AddElement(Element(field, j), ClientMessages.NotFinite, field);
            else if (Math.Abs(x.Value) > float.MaxValue) errors.AddElement(Element(field, j), "Out of the 32-bit float range.", field);
            // Checked as the float it becomes: 1e-50 is positive as a double and 0 as a float.
            else if (model.LogOfGiven && !((float)x.Value > 0))
                errors.AddElement(Element(field, j), $"This version works on the log scale: a streamed value must be positive (or null){((float)x.Value == 0 && x.Value > 0 ? ", and at least the smallest 32-bit float, 1.4e-45" : "")}. {ClientMessages.LogScaleRemedy}", field);
            else values[j] = (float)x.Value;
        }
        return values;
    }

    /// <summary>
    /// Each of the model's covariates, <paramref name="length"/> values aligned with the series' values, in the model's order
    /// ([covariate][step]); names the model does not read are refused rather than dropped.
    /// </summary>
    public static float[][] Covariates(IReadOnlyDictionary<string, IReadOnlyList<double?>>? given, int length, ForecastModel model, string field, ValidationErrors errors)
    {
        var names = model.Covariates;
        foreach (var name in given?.Keys ?? [])
            if (!names.Contains(name, StringComparer.Ordinal))
                errors.Add($"{field}.{name}", ClientMessages.UnknownCovariate(names));
        var result = new float[names.Count][];
        for (var k = 0; k < names.Count; k++)
        {
            var path = $"{field}.{names[k]}";
            result[k] = new float[length];
            if (given is null || !given.TryGetValue(names[k], out var values) || values is null)
                errors.Add(path, $"Required: this version reads the covariate '{names[k]}'; give {(length == 1 ? "1 value" : $"{length} values")} aligned with the series' values.");
            else if (values.Count != length)
                errors.Add(path, $"Has {values.Count} values; {length} are required, aligned with the series' values.");
            else
                for (var j = 0; j < length; j++)
                {
                    var x = values[j];
                    if (x is null) result[k][j] = float.NaN;
                    else if (!double.IsFinite(x.Value) || Math.Abs(x.Value) > float.MaxValue) errors.AddElement(Element(path, j), "Must be a finite 32-bit float or null.", path);
                    else result[k][j] = (float)x.Value;
                }
        }
        return result;
    }

    /// <summary>The next values of the covariates known in advance (the model's horizon of each), or null for a model without them.</summary>
    public static Dictionary<string, float[]>? Future(IReadOnlyDictionary<string, IReadOnlyList<double?>>? given, ForecastModel model, ValidationErrors errors)
    {
        const string field = "futureCovariates";
        var known = model.FutureCovariates;
        foreach (var name in given?.Keys ?? [])
            if (!known.Contains(name, StringComparer.Ordinal))
                errors.Add($"{field}.{name}", known.Count == 0 ? "This version has no covariates known in advance; leave futureCovariates out."
                    : $"Not a covariate known in advance: this version takes futureCovariates {string.Join(", ", known)}.");
        if (known.Count == 0) return null;
        var future = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in known)
        {
            var path = $"{field}.{name}";
            if (given is null || !given.TryGetValue(name, out var values) || values is null)
            {
                errors.Add(path, $"Required: '{name}' is known in advance; give its next {model.Horizon} values (the version's horizon).");
                continue;
            }
            if (values.Count < model.Horizon)
            {
                errors.Add(path, ForecastEndpoints.FutureTooShort(values.Count, model.Horizon, stream: true));
                continue;
            }
            if (values.Count > model.Horizon)
            {
                errors.Add(path, ForecastEndpoints.FutureTooLong(values.Count, model.Horizon, least: model.Horizon));
                continue;
            }
            var floats = new float[values.Count];
            // A multiplicative regression's factor exp(b·z) overflows past CovariateLevels.MaxExponent: named here, as a one-off
            // forecast names it (the stream's append had said only that its state forecasts non-finite values).
            float coefficient = model.CovariateLevels is { Multiplicative: true } levels ? levels.Coefficients[IndexOf(model.Covariates, name)] : 0;
            for (var j = 0; j < values.Count; j++)
            {
                var x = values[j];
                if (x is null) floats[j] = float.NaN;
                else if (!double.IsFinite(x.Value) || Math.Abs(x.Value) > float.MaxValue) errors.AddElement(Element(path, j), "Must be a finite 32-bit float or null.", path);
                else if (Math.Abs(coefficient * x.Value) > CovariateLevels.MaxExponent)
                    errors.AddElement(Element(path, j), $"{x.Value.ToString(CultureInfo.InvariantCulture)} overflows: the version multiplies the series by exp({coefficient.ToString(CultureInfo.InvariantCulture)} x this value).", path);
                else floats[j] = (float)x.Value;
            }
            if (floats.All(float.IsNaN)) errors.Add(path, ForecastEndpoints.AllFutureNull);
            future[name] = floats;
        }
        return future;
    }

    static string Element(string field, int j) => string.Create(CultureInfo.InvariantCulture, $"{field}[{j}]");

    /// <summary>
    /// The dates of a stream opened on <paramref name="request"/>'s history, resolved as a forecast of that history under the
    /// stream's seriesId would be (its start, or the training series of that id), or null when it has none. Problems go to
    /// <paramref name="errors"/> under the request's fields (start, frequency).
    /// </summary>
    public static StreamTiming? Timing(OpenStreamRequest request, VersionRecord version, ForecastModel model, ForecastOptions limits, ValidationErrors errors)
    {
        if (request.History is not { Count: > 0 } history) return null;
        // Only the history's length and its missing values matter to the dates: zeros and NaN stand for it.
        var forecast = new ForecastRequest
        {
            Frequency = request.Frequency,
            Series = [new ForecastSeriesInput { Id = request.SeriesId, History = [.. history.Select(x => x is null ? float.NaN : 0f)], Start = request.Start }],
        };
        var found = new ValidationErrors();
        var timing = ForecastTiming.Resolve(ref forecast, version.Training, model.Horizon, limits, found);
        foreach (var (field, messages) in found.ToDictionary())
            foreach (var message in messages) errors.Add(field switch { "series[0].start" => "start", "series[0].id" => "seriesId", _ => field }, message);
        return timing is { Ends: [{ } end] } ? new StreamTiming(timing.Frequency.ToIso(), history.Count - 1, end, timing.MonthDays[0]) : null;
    }

    /// <summary>The position of <paramref name="name"/> among the model's covariates (a future covariate is one of them).</summary>
    private static int IndexOf(IReadOnlyList<string> covariates, string name)
    {
        for (var k = 0; k < covariates.Count; k++) if (covariates[k] == name) return k;
        throw new ArgumentException($"'{name}' is not a covariate of the model.", nameof(name));
    }
}

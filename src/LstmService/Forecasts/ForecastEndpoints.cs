using System.Globalization;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Forecasts;

public static class ForecastEndpoints
{
    /// <summary>The forecast body's JSON: source-generated metadata (its converters describe themselves to the OpenAPI document).</summary>
    public static WebApplicationBuilder AddForecasts(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ForecastJsonContext.Default));
        return builder;
    }

    public static IEndpointRouteBuilder MapForecastEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{name}/forecast", Forecast)
            .WithTags("Forecasts")
            .RequireReadKey()
            .RequireRateLimiting(RateLimits.Forecasts)
            .HeavyRequest(always: false)
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("Forecast")
            .WithSummary("Forecast one or many series")
            .WithDescription("Forecasts with ?version=N, ?alias=A or (by default) the newest available version. All series run as one batch. " +
                "Each history needs at least the model's inputWindow values (two periods from the first observed value where the theta method alone repeats its season); horizon is 1..the model's horizon. Answers the mean and each " +
                "quantile per series, 400 naming every bad field, 404 for an unknown model, version or alias, and 409 when the version's " +
                "weights file is missing or altered. A model trained with covariates needs each series' `covariates` (their history, as long " +
                "as `history`) and, for those known in advance, `futureCovariates` (their next horizon values); GET " +
                "/models/{name}/versions/{version} lists them under architecture.covariates and architecture.futureCovariates. The example body (the sunspot numbers 1949-2008) runs against the demo model " +
                "'sunspots' that the service trains on its first start. " +
                "Give a history's `timestamps` (one per value; the step comes from them when the version does not know its frequency) or its `start` " +
                "(with the request's `frequency` for a version that does not know it), and each forecast comes with `timestamps`, one per step; a series whose `id` is one of the version's training series " +
                "(timing.series) and that gives neither is taken to end where that series ended.")
            .Accepts<ForecastRequest>("application/json")
            .WithRequestExample<ForecastRequest>(ForecastDocumentation.Example)
            .WithRequestBodyDescription("The series to forecast, each with its history (and its covariates for a version trained with them), and optionally fewer steps than the model's horizon.")
            .WithResponseExample(StatusCodes.Status200OK, ForecastDocumentation.ResponseExample)
            .WithResponseExample(StatusCodes.Status400BadRequest, ForecastDocumentation.ProblemExample)
            // The demo model, so "Try it out" runs as pre-filled.
            .WithParameterExample("name", "sunspots")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static Results<Ok<ForecastResponse>, ValidationProblem, ProblemHttpResult> Forecast(
        string name, ForecastRequest request, ModelRegistry registry, IOptions<ForecastOptions> options, ServiceMetrics metrics, ForecastPointLimiter points,
        HttpContext http, int? version = null, string? alias = null) =>
        ForecastChecked(name, request, registry, options, metrics, points, http, version, alias, checkModel: null);

    /// <summary>
    /// <see cref="Forecast"/>, refusing under the field <paramref name="checkModel"/> names what it finds wrong with the loaded
    /// model's answer for this request (the v2 protocol's outputs), before the request takes any forecast values.
    /// </summary>
    internal static Results<Ok<ForecastResponse>, ValidationProblem, ProblemHttpResult> ForecastChecked(
        string name, ForecastRequest request, ModelRegistry registry, IOptions<ForecastOptions> options, ServiceMetrics metrics, ForecastPointLimiter points,
        HttpContext http, int? version, string? alias, Func<ForecastModel, (string Field, string Message)?>? checkModel)
    {
        if (version is not null && alias is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alias"] = ["Give either version or alias, not both."] });

        if (registry.ResolveForTask(name, version, alias, ModelTask.Forecasting, http, out var v) is { } notServed) return notServed;
        RequestLog.Set(http, "SeriesCount", request.Series?.Count ?? 0);
        var (model, error) = registry.GetForecaster(v);
        if (model is null) return registry.LoadProblem(v, error!, http);

        var errors = new ValidationErrors();
        var timing = ForecastTiming.Resolve(ref request, v.Training, model.Horizon, options.Value, errors);
        var inputs = Validate(request, v, model, options.Value, errors);
        if (inputs is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (checkModel?.Invoke(model) is var (modelField, modelProblem))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [modelField] = [modelProblem] });
        // Each series' trailing gap is filled by forecasts too, a horizon per pass: that work counts as well.
        var values = (long)inputs.Length * (request.Horizon ?? model.Horizon);
        foreach (var input in inputs) values += model.GapFillValues(HistoryLength.TrailingMissing(input.History));
        // One series over the limit can only ask for fewer steps; several can be split.
        if (points.TooLarge(http, values, inputs.Length == 1 ? "ask for a shorter horizon, or the operator to raise the setting" : "send fewer series per request") is { } tooLarge) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["series"] = [tooLarge] });
        if (points.TryTake(http, values) is { } limited) return limited;

        IReadOnlyList<SeriesForecast> forecasts;
        try
        {
            // A client that went away stops the work: the OperationCanceledException ends the request without an error log.
            forecasts = model.Forecast(inputs, request.Horizon, http.RequestAborted);
        }
        catch (ArgumentException e)
        {
            // The kernel names the history it rejects ("series[i]"); anything the checks above missed is still the caller's input.
            var field = e.ParamName is { Length: > 0 } p && p.StartsWith("series", StringComparison.Ordinal) ? p : "series";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [ClientMessages.Of(e)] });
        }

        var series = request.Series!;
        var (levels, keys) = QuantileKeys(model);
        var steps = request.Horizon ?? model.Horizon;
        var result = new SeriesForecastResponse[forecasts.Count];
        for (var i = 0; i < forecasts.Count; i++)
        {
            var f = forecasts[i];
            var finite = AllFinite(f.Mean);
            var quantiles = new Dictionary<string, float[]>(levels.Length, StringComparer.Ordinal);
            for (var k = 0; k < levels.Length; k++)
            {
                var band = f.Quantiles[levels[k]];
                finite &= AllFinite(band);
                quantiles.Add(keys[k], band);
            }
            // Stored weights are finite (checked when they are loaded), so what overflows 32-bit floats is a history far out of
            // scale with the one the version learned from: the caller's input, not a broken version.
            if (!finite)
                return TypedResults.ValidationProblem(OverflowProblem(model, inputs[i], i, v.Version));
            result[i] = new SeriesForecastResponse(series[i].Id ?? i.ToString(CultureInfo.InvariantCulture), f.Mean, quantiles, timing?.StepTimes(i, steps),
                model.NonNegative ? f.ClampedAtZero : null, LevelChanges(f, timing, i, inputs[i].History.Length), TrainedSeries(model, series[i].Id));
        }
        metrics.ForecastRequests.Inc();
        metrics.ForecastSeries.Inc(result.Length);
        metrics.ForecastPoints.Inc((double)result.Length * steps);
        return TypedResults.Ok(new ForecastResponse(name, v.Version, steps, result));
    }

    /// <summary>
    /// Whether a forecast under <paramref name="id"/> used a training series' own weights or interval widths, for a version
    /// that keeps any (null otherwise): a mistyped id had been answered with the pooled ones and nothing to say so (a QA pass).
    /// A training series too short to keep its own is answered false too: the version keeps nothing under its id. A stream's
    /// forecasts say the same of its seriesId.
    /// </summary>
    internal static bool? TrainedSeries(ForecastModel model, string? id) =>
        model.SeriesMixWeights is null && model.SeriesIntervalScales is null ? null
        : id is not null && (model.SeriesMixWeights?.ContainsKey(id) == true || model.SeriesIntervalScales?.ContainsKey(id) == true);

    /// <summary>Whether version <paramref name="v"/> keeps anything by series id: its training series' dates, or their own weights or widths.</summary>
    internal static bool KeepsSeries(VersionRecord v, ForecastModel model) =>
        v.Training?.Timing?.Any(t => t.Id is not null) == true || model.SeriesMixWeights is not null || model.SeriesIntervalScales is not null;

    /// <summary>Whether version <paramref name="v"/> trained a series of exactly <paramref name="id"/>: its timing dates one, or it keeps that series' own weights or widths.</summary>
    internal static bool TrainedId(VersionRecord v, ForecastModel model, string id) =>
        v.Training?.Timing?.Any(t => t.Id == id) == true || TrainedSeries(model, id) == true;

    /// <summary>The changes of level forecast <paramref name="f"/> read in series <paramref name="i"/>'s history of <paramref name="length"/> values, dated where its timing is known; null when none.</summary>
    static LevelChangeResponse[]? LevelChanges(SeriesForecast f, ForecastTiming? timing, int i, int length) =>
        f.LevelChanges?.Select(c => LevelChangeResponse.From(c, timing?.TimeOf(i, c.Index, length))).ToArray();

    /// <summary>The model's quantile levels in ascending order and their names in the answer ("0.1"), once per request rather than per series.</summary>
    internal static (float[] Levels, string[] Keys) QuantileKeys(ForecastModel model)
    {
        var levels = new float[model.Quantiles.Count];
        for (var k = 0; k < levels.Length; k++) levels[k] = model.Quantiles[k];
        Array.Sort(levels);
        var keys = new string[levels.Length];
        for (var k = 0; k < levels.Length; k++) keys[k] = levels[k].ToString(CultureInfo.InvariantCulture);
        return (levels, keys);
    }

    /// <summary>
    /// The error for a forecast that overflowed: filed under the history, or, for a version that regresses covariates out,
    /// under the covariate whose effect is the largest when that is larger than the history's values (a covariate of 1e30).
    /// </summary>
    private static Dictionary<string, string[]> OverflowProblem(ForecastModel model, ForecastInput input, int i, int version)
    {
        float history = MaxMagnitude(input.History);
        (string Field, float Magnitude, float Effect) largest = (HistoryField(i), history, history);
        if (model.CovariateLevels is { } levels)
            for (var k = 0; k < model.Covariates.Count; k++)
            {
                if (!levels.Reads(k)) continue;
                var name = model.Covariates[k];
                foreach (var (part, values) in new[] { ("covariates", input.Covariates?[name]), ("futureCovariates", input.FutureCovariates?.GetValueOrDefault(name)) })
                {
                    if (values is null) continue;
                    // A multiplicative effect is a logarithm's: exp of it overflows past about 88, whatever the history.
                    float magnitude = MaxMagnitude(values), effect = Math.Abs(levels.Coefficients[k]) * magnitude;
                    if (levels.Multiplicative) effect = effect > CovariateLevels.MaxExponent ? float.PositiveInfinity : 0;
                    if (effect > largest.Effect) largest = (string.Create(CultureInfo.InvariantCulture, $"series[{i}].{part}.{name}"), magnitude, effect);
                }
            }
        var what = largest.Field == HistoryField(i) ? "its values" : "this covariate's values, which the version regresses the series on,";
        return new Dictionary<string, string[]>
        {
            [largest.Field] = [$"The forecast from this history overflows 32-bit floats (NaN or Infinity): {what} (largest magnitude {largest.Magnitude:G3}) are too far out of the scale version {version} was trained on."],
        };
    }

    private static float MaxMagnitude(float[] values)
    {
        var max = 0f;
        foreach (var x in values)
            if (Math.Abs(x) > max) max = Math.Abs(x);
        return max;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var x in values)
            if (!float.IsFinite(x)) return false;
        return true;
    }

    private static ForecastInput[]? Validate(ForecastRequest request, VersionRecord version, ForecastModel model, ForecastOptions limits, ValidationErrors errors)
    {
        if (request.Horizon is { } h && (h < 1 || h > model.Horizon))
            errors.Add("horizon", $"Must be in 1..{model.Horizon} (this version's horizon); got {h}.");
        var steps = request.Horizon is { } asked && asked >= 1 && asked <= model.Horizon ? asked : model.Horizon;

        var series = request.Series;
        if (series is null || series.Count == 0)
        {
            errors.Add("series", "At least one series is required.");
            return null;
        }
        if (series.Count > limits.MaxSeries)
        {
            errors.Add("series", $"At most {limits.MaxSeries} series per request (Forecast:MaxSeries); got {series.Count}.");
            return null;
        }

        var w = model.InputWindow;
        var inputs = new ForecastInput[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i] is not { } input)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"series[{i}]"), "Must be a series object ({\"history\": [...]}), not null.");
                continue;
            }
            if (input.Id is { } id && !SeriesIds.IsValid(id))
                errors.Add($"series[{i}].id", SeriesIds.Refusal(id));
            else if (input.Id is { } given && SeriesIds.UntrimmedProblem(given, KeepsSeries(version, model), known => TrainedId(version, model, known)) is { } untrimmed)
                errors.Add($"series[{i}].id", untrimmed);
            var history = input.History;
            if (history is null || history.Length == 0)
            {
                errors.Add(HistoryField(i), model.MinimumHistory > w
                    ? $"Required: at least {model.MinimumHistory} values (two periods of the season the theta method alone repeats)."
                    : $"Required: at least {w} values (the model's inputWindow).");
                continue;
            }
            if (history.Length > limits.MaxHistoryLength)
            {
                errors.Add(HistoryField(i), $"At most {limits.MaxHistoryLength} values (Forecast:MaxHistoryLength); got {history.Length}.");
                continue;
            }
            int leading = HistoryLength.LeadingMissing(history), trailing = HistoryLength.TrailingMissing(history);
            if (HistoryLength.TooShort(model, history.Length, leading, trailing) is { } tooShort)
                errors.Add(HistoryField(i), tooShort);

            // The converter read null as NaN and marked numbers beyond the float (or double) range; the values are used as they are.
            var beyond = history.AsSpan().IndexOfAny(NullableFloatArrayConverter.BeyondFloat, NullableFloatArrayConverter.BeyondDouble);
            if (beyond >= 0)
            {
                var field = HistoryField(i);
                for (var j = beyond; j < history.Length; j++)
                    if (history[j] == NullableFloatArrayConverter.BeyondDouble)
                        errors.AddElement($"{field}[{j}]", ClientMessages.NotFinite, field);
                    else if (history[j] == NullableFloatArrayConverter.BeyondFloat)
                        errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            }
            // A log-scale version read a positive series; a zero or negative value has no logarithm, and flooring it (as the
            // library does for its own callers) turns one bad value into a forecast orders of magnitude off. Streams refuse it too.
            // A version that regresses its covariates' levels out additively first takes logarithms of the series less their
            // effect, which the library checks (and names the covariates); a multiplicative one, of the series' values alike.
            if (model.LogOfGiven)
            {
                var field = HistoryField(i);
                for (var j = 0; j < history.Length; j++)
                    if (history[j] <= 0)
                        errors.AddElement($"{field}[{j}]", $"This version works on the log scale (its training series was positive): a value must be positive; use null for a missing value. {ClientMessages.LogScaleRemedy}", field);
            }
            // A trailing gap is forecast through (up to the model's MaxTrailingGap); the window before it must be mostly there.
            if (history.Length >= w && model.TrailingGapProblem(history, trailing, leading < history.Length) is { } gapProblem)
                errors.Add(HistoryField(i), gapProblem);

            var (past, future) = model.Covariates.Count == 0 && input.Covariates is null && input.FutureCovariates is null
                ? (null, null)
                : ValidateCovariates(input, i, history.Length, steps, model, errors);
            inputs[i] = new ForecastInput(history, past, future, input.Id);
        }
        return errors.IsValid ? inputs : null;
    }

    private static string HistoryField(int i) => string.Create(CultureInfo.InvariantCulture, $"series[{i}].history");

    /// <summary>
    /// The covariates a series must bring for this model: the history of each of the model's covariates (as long as the
    /// history, with at least one observed value) and the next <paramref name="steps"/> values of those known in advance.
    /// Names the model does not read are rejected rather than ignored, so a typo is not silently dropped.
    /// </summary>
    private static (Dictionary<string, float[]>? Past, Dictionary<string, float[]>? Future) ValidateCovariates(
        ForecastSeriesInput input, int i, int length, int steps, ForecastModel model, ValidationErrors errors)
    {
        var names = model.Covariates;
        var known = model.FutureCovariates;
        var field = $"series[{i}].covariates";
        var futureField = $"series[{i}].futureCovariates";
        if (names.Count == 0)
        {
            // Each named, so a v2 request is told which of its tensors (covariates.price) to leave out.
            foreach (var name in input.Covariates?.Keys ?? []) errors.Add($"{field}.{name}", ClientMessages.UnknownCovariate(names));
            foreach (var name in input.FutureCovariates?.Keys ?? []) errors.Add($"{futureField}.{name}", "This version was trained without covariates; leave futureCovariates out.");
            return (null, null);
        }

        var past = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in input.Covariates?.Keys ?? [])
            if (!names.Contains(name, StringComparer.Ordinal))
                errors.Add($"{field}.{name}", ClientMessages.UnknownCovariate(names));
        foreach (var name in names)
        {
            var path = $"{field}.{name}";
            if (input.Covariates is null || !input.Covariates.TryGetValue(name, out var values) || values is null)
            {
                errors.Add(path, $"Required: this version reads the covariate '{name}'; give its history, {length} values aligned with history.");
                continue;
            }
            if (values.Count != length)
            {
                errors.Add(path, $"Has {values.Count} values; history has {length}: a covariate's history is aligned with history.");
                continue;
            }
            var floats = ToFloats(values, path, errors, out var missing);
            if (missing == values.Count) errors.Add(path, "All values are null: at least one must be observed.");
            past[name] = floats;
        }

        var future = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in input.FutureCovariates?.Keys ?? [])
            if (!known.Contains(name, StringComparer.Ordinal))
                errors.Add($"{futureField}.{name}", known.Count == 0
                    ? "This version has no covariates known in advance; leave futureCovariates out."
                    : $"Not a covariate known in advance: this version takes futureCovariates {string.Join(", ", known)}.");
        foreach (var name in known)
        {
            var path = $"{futureField}.{name}";
            if (input.FutureCovariates is null || !input.FutureCovariates.TryGetValue(name, out var values) || values is null)
            {
                errors.Add(path, $"Required: '{name}' is known in advance; give its next {steps} values.");
                continue;
            }
            if (values.Count < steps)
            {
                errors.Add(path, FutureTooShort(values.Count, steps, stream: false));
                continue;
            }
            if (values.Count > model.Horizon)
            {
                errors.Add(path, FutureTooLong(values.Count, model.Horizon, least: steps));
                continue;
            }
            future[name] = ToFloats(values, path, errors, out var unknown);
            // Nulls are filled from the values around them; with none given the covariate is not known, and filling it from
            // its history would forecast as if it stayed where it was (with its effect added, for a version that regresses on it).
            if (unknown == values.Count) errors.Add(path, AllFutureNull);
        }
        return (past, future.Count > 0 ? future : null);
    }

    /// <summary>
    /// The refusal of more future values than the version forecasts steps: values past its horizon are never read, and such a
    /// list is most often the covariate's history and future together, whose first values would be read as the future.
    /// </summary>
    /// <param name="count">The values given.</param>
    /// <param name="horizon">The version's horizon.</param>
    /// <param name="least">The fewest taken: the steps forecast (a stream forecasts its whole horizon). The message names the
    /// range, so a caller told "at most" is not then refused for too few (a QA pass).</param>
    internal static string FutureTooLong(int count, int horizon, int least) =>
        $"Too long: {count} values, but this version's horizon is {horizon}; give the covariate's next {(least < horizon ? $"{least} to {horizon}" : $"{horizon}")} value{(horizon == 1 ? "" : "s")} after the history.";

    /// <summary>
    /// The refusal of fewer future values than the steps forecast: a one-off forecast's requested steps, a stream's whole
    /// horizon (it forecasts every step after each append). One wording wherever a covariate known in advance is read.
    /// </summary>
    internal static string FutureTooShort(int count, int steps, bool stream) =>
        $"Too short: {count} value{(count == 1 ? "" : "s")}, but {steps} step{(steps == 1 ? " is" : "s are")} forecast{(stream ? " (a stream forecasts the version's whole horizon)" : "")}; give the covariate's next {steps} value{(steps == 1 ? "" : "s")} after the history.";

    /// <summary>The refusal of a covariate known in advance whose future values are all null.</summary>
    internal const string AllFutureNull = "All values are null: a covariate known in advance needs at least one of its next values (a null is filled from the values around it).";

    /// <summary>Values as float32 (NaN for null), with NaN/Infinity and out-of-range numbers named by index.</summary>
    private static float[] ToFloats(IReadOnlyList<double?> source, string field, ValidationErrors errors, out int missing)
    {
        var values = new float[source.Count];
        missing = 0;
        for (var j = 0; j < source.Count; j++)
        {
            var x = source[j];
            if (x is null) { values[j] = float.NaN; missing++; }
            else if (!double.IsFinite(x.Value)) errors.AddElement($"{field}[{j}]", ClientMessages.NotFinite, field);
            else if (Math.Abs(x.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            else values[j] = (float)x.Value;
        }
        return values;
    }
}

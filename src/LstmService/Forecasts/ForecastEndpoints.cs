using System.Globalization;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Forecasts;

public static class ForecastEndpoints
{
    public static IEndpointRouteBuilder MapForecastEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{name}/forecast", Forecast)
            .WithTags("Forecasts")
            .RequireReadKey()
            .RequireRateLimiting(RateLimits.Forecasts)
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("Forecast")
            .WithSummary("Forecast one or many series")
            .WithDescription("Forecasts with ?version=N, ?alias=A or (by default) the newest available version. All series run as one batch. " +
                "Each history needs at least the model's inputWindow values; horizon is 1..the model's horizon. Answers the mean and each " +
                "quantile per series, 400 naming every bad field, 404 for an unknown model, version or alias, and 409 when the version's " +
                "weights file is missing or altered. A model trained with covariates needs each series' `covariates` (their history, as long " +
                "as `history`) and, for those known in advance, `futureCovariates` (their next horizon values); GET " +
                "/models/{name}/versions/{version} lists them under architecture.covariates and architecture.futureCovariates. The example body (the sunspot numbers 1949-2008) runs against the demo model " +
                "'sunspots' that the service trains on its first start.")
            .Accepts<ForecastRequest>("application/json")
            .WithRequestExample<ForecastRequest>(ForecastDocumentation.Example)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static Results<Ok<ForecastResponse>, ValidationProblem, ProblemHttpResult> Forecast(
        string name, ForecastRequest request, ModelRegistry registry, IOptions<ForecastOptions> options, int? version = null, string? alias = null)
    {
        if (version is not null && alias is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alias"] = ["Give either version or alias, not both."] });

        var lookup = registry.Resolve(name, version, alias);
        if (lookup.Version is not { } v) return lookup.Status.ToProblem(name, version, alias);
        var (model, error) = registry.GetForecaster(v);
        if (model is null) return Problems.Unavailable(name, v.Version, error!);

        var errors = new ValidationErrors();
        var inputs = Validate(request, model, options.Value, errors);
        if (inputs is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        IReadOnlyList<SeriesForecast> forecasts;
        try
        {
            forecasts = model.Forecast(inputs, request.Horizon);
        }
        catch (ArgumentException e)
        {
            // The kernel names the history it rejects ("series[i]"); anything the checks above missed is still the caller's input.
            var field = e.ParamName is { Length: > 0 } p && p.StartsWith("series", StringComparison.Ordinal) ? p : "series";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [e.Message] });
        }

        var series = request.Series!;
        var result = new SeriesForecastResponse[forecasts.Count];
        for (var i = 0; i < forecasts.Count; i++)
        {
            var f = forecasts[i];
            if (!f.Mean.All(float.IsFinite) || !f.Quantiles.Values.All(q => q.All(float.IsFinite)))
                return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Model produced non-finite values",
                    detail: $"Version {v.Version} of model '{name}' produced NaN or Infinity for series[{i}]; its weights are unusable.");
            result[i] = new SeriesForecastResponse(
                series[i].Id ?? i.ToString(CultureInfo.InvariantCulture),
                f.Mean,
                f.Quantiles.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value));
        }
        return TypedResults.Ok(new ForecastResponse(name, v.Version, request.Horizon ?? model.Horizon, result));
    }

    private static ForecastInput[]? Validate(ForecastRequest request, ForecastModel model, ForecastOptions limits, ValidationErrors errors)
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
            var field = $"series[{i}].history";
            var history = series[i]?.History;
            if (history is null || history.Count == 0)
            {
                errors.Add(field, $"Required: at least {w} values (the model's inputWindow).");
                continue;
            }
            if (history.Count > limits.MaxHistoryLength)
            {
                errors.Add(field, $"At most {limits.MaxHistoryLength} values (Forecast:MaxHistoryLength); got {history.Count}.");
                continue;
            }
            if (history.Count < w)
                errors.Add(field, $"Too short: {history.Count} values, but this version's inputWindow is {w}.");

            var values = ToFloats(history, field, errors, out _);
            var missingInWindow = 0;
            for (var j = Math.Max(0, history.Count - w); j < history.Count; j++)
                if (history[j] is null) missingInWindow++;
            if (history.Count >= w && missingInWindow * 2 > w)
                errors.Add(field, $"Mostly missing: {missingInWindow} of the last {w} values are null; at most half may be.");

            var (past, future) = ValidateCovariates(series[i]!, i, history.Count, steps, model, errors);
            inputs[i] = new ForecastInput(values, past, future);
        }
        return errors.IsValid ? inputs : null;
    }

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
            if (input.Covariates is { Count: > 0 }) errors.Add(field, "This version was trained without covariates; leave covariates out.");
            if (input.FutureCovariates is { Count: > 0 }) errors.Add(futureField, "This version was trained without covariates; leave futureCovariates out.");
            return (null, null);
        }

        var past = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var name in input.Covariates?.Keys ?? [])
            if (!names.Contains(name, StringComparer.Ordinal))
                errors.Add($"{field}.{name}", $"Unknown covariate: this version reads {string.Join(", ", names)}.");
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
                errors.Add(path, $"Too short: {values.Count} values, but {steps} steps are forecast.");
                continue;
            }
            future[name] = ToFloats(values, path, errors, out _);
        }
        return (past, future.Count > 0 ? future : null);
    }

    /// <summary>Values as float32 (NaN for null), with NaN/Infinity and out-of-range numbers named by index.</summary>
    private static float[] ToFloats(IReadOnlyList<double?> source, string field, ValidationErrors errors, out int missing)
    {
        var values = new float[source.Count];
        missing = 0;
        for (var j = 0; j < source.Count; j++)
        {
            var x = source[j];
            if (x is null) { values[j] = float.NaN; missing++; }
            else if (!double.IsFinite(x.Value)) errors.AddElement($"{field}[{j}]", "NaN/Infinity is not allowed; use null for a missing value.", field);
            else if (Math.Abs(x.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            else values[j] = (float)x.Value;
        }
        return values;
    }
}

using System.Globalization;
using LstmService.Infrastructure;
using LstmService.Kernels.Forecasting;
using LstmService.Models;
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
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("Forecast")
            .WithSummary("Forecast one or many series")
            .WithDescription("Forecasts with ?version=N, ?alias=A or (by default) the newest available version. All series run as one batch. " +
                "Each history needs at least the model's inputWindow values; horizon is 1..the model's horizon. Answers the mean and each " +
                "quantile per series, 400 naming every bad field, 404 for an unknown model, version or alias, and 409 when the version's " +
                "weights file is missing or altered. The example body (the sunspot numbers 1949-2008) runs against the demo model " +
                "'sunspots' that the service trains on its first start.")
            .Accepts<ForecastRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static Results<Ok<ForecastResponse>, ValidationProblem, ProblemHttpResult> Forecast(
        string name, ForecastRequest request, ModelRegistry registry, IOptions<ForecastOptions> options, int? version = null, string? alias = null)
    {
        if (version is not null && alias is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alias"] = ["Give either version or alias, not both."] });

        var lookup = registry.Resolve(name, version, alias);
        if (lookup.Version is not { } v) return Problems.NotFound(lookup.Status, name, version, alias);
        var (model, error) = registry.GetForecaster(v);
        if (model is null) return Problems.Unavailable(name, v.Version, error!);

        var errors = new ValidationErrors();
        var histories = Validate(request, model, options.Value, errors);
        if (histories is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        IReadOnlyList<SeriesForecast> forecasts;
        try
        {
            forecasts = model.Forecast(histories, request.Horizon);
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

    private static float[][]? Validate(ForecastRequest request, ForecastModel model, ForecastOptions limits, ValidationErrors errors)
    {
        if (request.Horizon is { } h && (h < 1 || h > model.Horizon))
            errors.Add("horizon", $"Must be in 1..{model.Horizon} (this version's horizon); got {h}.");

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
        var histories = new float[series.Count][];
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

            var values = new float[history.Count];
            var missingInWindow = 0;
            for (var j = 0; j < history.Count; j++)
            {
                var x = history[j];
                if (x is null)
                {
                    values[j] = float.NaN;
                    if (j >= history.Count - w) missingInWindow++;
                }
                else if (!double.IsFinite(x.Value)) errors.AddElement($"{field}[{j}]", "NaN/Infinity is not allowed; use null for a missing value.", field);
                else if (Math.Abs(x.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
                else values[j] = (float)x.Value;
            }
            if (history.Count >= w && missingInWindow * 2 > w)
                errors.Add(field, $"Mostly missing: {missingInWindow} of the last {w} values are null; at most half may be.");
            histories[i] = values;
        }
        return errors.IsValid ? histories : null;
    }
}

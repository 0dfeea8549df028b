using System.Globalization;
using LstmService.Forecasting.Classification;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Classification;

public static class ClassificationEndpoints
{
    public static IEndpointRouteBuilder MapClassificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{name}/classify", Classify)
            .WithTags("Classification")
            .RequireReadKey()
            .RequireRateLimiting(RateLimits.Forecasts)
            .HeavyRequest(always: false)
            .AddEndpointFilter<RouteNameFilter>()
            .WithName("Classify")
            .WithSummary("Classify one or many sequences")
            .WithDescription(ClassificationDocumentation.Description)
            .Accepts<ClassifyRequest>("application/json")
            .WithRequestExample<ClassifyRequest>(ClassificationDocumentation.Example)
            .WithRequestBodyDescription("The sequences to classify, of any lengths, each with its covariates for a version trained with them.")
            .WithResponseExample(StatusCodes.Status200OK, ClassificationDocumentation.ResponseExample)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static Results<Ok<ClassifyResponse>, ValidationProblem, ProblemHttpResult> Classify(
        string name, ClassifyRequest request, ModelRegistry registry, IOptions<ForecastOptions> options, ForecastPointLimiter points,
        HttpContext http, int? version = null, string? alias = null)
    {
        if (version is not null && alias is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alias"] = ["Give either version or alias, not both."] });
        if (registry.ResolveForTask(name, version, alias, ModelTask.Classification, http, out var v) is { } notServed) return notServed;
        RequestLog.Set(http, "SeriesCount", request.Sequences?.Count ?? 0);
        var (model, error) = registry.GetClassifier(v);
        if (model is null) return registry.LoadProblem(v, error!, http);

        var errors = new ValidationErrors();
        var sequences = Validate(request, options.Value, model.Covariates, errors);
        if (sequences is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        // Each sequence classified counts as one forecast value against the caller's RateLimits:ForecastPointPermits.
        if (points.TooLarge(http, sequences.Length, "send fewer sequences per request") is { } tooLarge) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sequences"] = [tooLarge] });
        if (points.TryTake(http, sequences.Length) is { } limited) return limited;
        IReadOnlyList<ClassPrediction> predictions;
        try
        {
            predictions = model.Classify(sequences, http.RequestAborted);
        }
        catch (ArgumentException e)
        {
            // The model names the sequence and covariate it cannot read ("sequences[1].covariates.temp").
            var field = e.ParamName is { Length: > 0 } p ? p : "sequences";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [ClientMessages.Of(e)] });
        }
        if (predictions.Any(p => !p.Probabilities.All(float.IsFinite)))
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Model produced non-finite values",
                detail: $"Version {v.Version} of model '{name}' produced NaN or Infinity; its weights are unusable.");
        var results = predictions.Select((p, i) => SequenceClassificationResponse.From(
            request.Sequences![i].Id ?? i.ToString(CultureInfo.InvariantCulture), p, model.Classes)).ToArray();
        return TypedResults.Ok(new ClassifyResponse(name, v.Version, model.Classes, results));
    }

    /// <summary>The sequences as the model reads them (null marks a missing value, read as NaN), or null with every problem named.</summary>
    private static ClassificationSequence[]? Validate(ClassifyRequest request, ForecastOptions limits, IReadOnlyList<string> read, ValidationErrors errors)
    {
        var given = request.Sequences;
        if (given is null || given.Count == 0) { errors.Add("sequences", "At least one sequence is required."); return null; }
        if (given.Count > limits.MaxSeries) { errors.Add("sequences", $"At most {limits.MaxSeries} sequences per request (Forecast:MaxSeries); got {given.Count}."); return null; }
        var result = new ClassificationSequence[given.Count];
        for (var i = 0; i < given.Count; i++)
        {
            // Echoed in the answer and the logs, so held to the rule every series id is (a forecast's too).
            if (given[i]?.Id is { } id && !SeriesIds.IsValid(id)) errors.Add($"sequences[{i}].id", SeriesIds.Refusal(id));
            var field = $"sequences[{i}].values";
            if (given[i]?.Values is not { Count: > 0 } values) { errors.Add(field, "Required: a non-empty array of numbers (null marks a missing value)."); continue; }
            if (values.Count > limits.MaxHistoryLength) { errors.Add(field, $"At most {limits.MaxHistoryLength} values (Forecast:MaxHistoryLength); got {values.Count}."); continue; }
            // A sequence with nothing observed would be classified from the filled-in gap alone, a confident answer about nothing.
            if (values.All(v => v is null)) { errors.Add(field, "Every value is missing (null): at least one must be observed."); continue; }
            var covariates = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var (name, series) in given[i]!.Covariates ?? new Dictionary<string, IReadOnlyList<double?>>())
            {
                // A name the model does not read (Temp for temp) is named, not dropped: else only the one it reads was missed.
                if (!read.Contains(name, StringComparer.Ordinal))
                {
                    errors.Add($"sequences[{i}].covariates.{name}", ClientMessages.UnknownCovariate(read));
                    continue;
                }
                if (series is null) { errors.Add($"sequences[{i}].covariates.{name}", "Required: an array of numbers aligned with values."); continue; }
                covariates[name] = Floats(series, $"sequences[{i}].covariates.{name}", errors);
            }
            // Named here too, so one answer lists both a misspelt covariate and the one it stood for.
            foreach (var name in read)
                if (given[i]!.Covariates?.ContainsKey(name) != true) errors.Add($"sequences[{i}].covariates.{name}", SequenceClassifier.MissingCovariate(name));
            result[i] = new ClassificationSequence(Floats(values, field, errors), covariates.Count > 0 ? covariates : null);
        }
        return errors.IsValid ? result : null;
    }

    private static float[] Floats(IReadOnlyList<double?> values, string field, ValidationErrors errors)
    {
        var floats = new float[values.Count];
        for (var j = 0; j < floats.Length; j++)
        {
            var v = values[j];
            if (v is null) { floats[j] = float.NaN; continue; }
            if (!double.IsFinite(v.Value)) errors.AddElement($"{field}[{j}]", ClientMessages.NotFinite, field);
            else if (Math.Abs(v.Value) > float.MaxValue) errors.AddElement($"{field}[{j}]", "Out of the 32-bit float range.", field);
            floats[j] = (float)v.Value;
        }
        return floats;
    }
}

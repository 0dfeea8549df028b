using System.Globalization;
using System.Reflection;
using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Forecasts;
using LstmService.Infrastructure;
using LstmService.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LstmService.InferenceV2;

/// <summary>The v2 handlers: the registry's versions and the forecast endpoint's answers in the protocol's shapes.</summary>
public static class InferenceV2Handlers
{
    public const string ServerName = "lstmservice", Platform = "lstmservice_lstm";

    private static readonly string ServerVersion =
        typeof(InferenceV2Handlers).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>The protocol's own field names (snake_case, as written), unknown members and duplicate keys refused like every body of the service.</summary>
    private static readonly JsonSerializerOptions RequestJson = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    public static Ok<ServerMetadataResponse> ServerMetadata() => TypedResults.Ok(new ServerMetadataResponse(ServerName, ServerVersion, []));

    public static Ok<ServerLiveResponse> ServerLive() => TypedResults.Ok(new ServerLiveResponse(true));

    public static async Task<Results<Ok<ServerReadyResponse>, JsonHttpResult<ServerReadyResponse>>> ServerReady(HealthCheckService health,
        Infrastructure.ShutdownDrain drain, CancellationToken ct)
    {
        // /health/ready's own answer, the drain included (a stopping pod had stayed ready here).
        var report = await Health.HealthEndpoints.ReadinessAsync(health, drain, ct);
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(new ServerReadyResponse(false), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new ServerReadyResponse(true));
    }

    public static Results<Ok<ModelMetadataResponse>, JsonHttpResult<InferenceErrorResponse>> ModelMetadata(string name, ModelRegistry registry) =>
        Metadata(name, null, registry);

    public static Results<Ok<ModelMetadataResponse>, JsonHttpResult<InferenceErrorResponse>> VersionMetadata(string name, string version, ModelRegistry registry) =>
        Metadata(name, version, registry);

    private static Results<Ok<ModelMetadataResponse>, JsonHttpResult<InferenceErrorResponse>> Metadata(string name, string? version, ModelRegistry registry)
    {
        if (Find(name, version, registry, out var error) is not { } v) return error!;
        var inputs = new List<MetadataTensor> { new(InferenceTensors.History, "FP32", [-1, -1]), new(InferenceTensors.Lengths, "INT32", [-1]) };
        foreach (var c in v.Architecture.Covariates) inputs.Add(new(InferenceTensors.CovariatePrefix + c, "FP32", [-1, -1]));
        foreach (var c in v.Architecture.FutureCovariates) inputs.Add(new(InferenceTensors.FutureCovariatePrefix + c, "FP32", [-1, v.Horizon]));
        var outputs = new List<MetadataTensor> { new(InferenceTensors.Mean, "FP32", [-1, v.Horizon]) };
        foreach (var q in v.Quantiles.Order()) outputs.Add(new(InferenceTensors.QuantileOutput(q), "FP32", [-1, v.Horizon]));
        var versions = registry.ListVersions(name).Select(x => x.Version.ToString(CultureInfo.InvariantCulture)).ToArray();
        return TypedResults.Ok(new ModelMetadataResponse(name, versions, Platform, inputs, outputs));
    }

    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<InferenceErrorResponse>> ModelReady(string name, ModelRegistry registry) =>
        Ready(name, null, registry);

    public static Results<Ok<ModelReadyResponse>, JsonHttpResult<InferenceErrorResponse>> VersionReady(string name, string version, ModelRegistry registry) =>
        Ready(name, version, registry);

    private static Results<Ok<ModelReadyResponse>, JsonHttpResult<InferenceErrorResponse>> Ready(string name, string? version, ModelRegistry registry)
    {
        if (Find(name, version, registry, out var error) is not { } v) return error!;
        var (model, _) = registry.GetForecaster(v);
        return TypedResults.Ok(new ModelReadyResponse(name, model is not null));
    }

    public static Task<Results<Ok<InferenceResponse>, JsonHttpResult<InferenceErrorResponse>>> Infer(
        string name, ModelRegistry registry, IOptions<ForecastOptions> options, ServiceMetrics metrics, ForecastPointLimiter points, HttpContext http) =>
        Run(name, null, registry, options, metrics, points, http);

    public static Task<Results<Ok<InferenceResponse>, JsonHttpResult<InferenceErrorResponse>>> InferVersion(
        string name, string version, ModelRegistry registry, IOptions<ForecastOptions> options, ServiceMetrics metrics, ForecastPointLimiter points, HttpContext http) =>
        Run(name, version, registry, options, metrics, points, http);

    private static async Task<Results<Ok<InferenceResponse>, JsonHttpResult<InferenceErrorResponse>>> Run(
        string name, string? version, ModelRegistry registry, IOptions<ForecastOptions> options, ServiceMetrics metrics, ForecastPointLimiter points, HttpContext http)
    {
        if (RouteProblem(name, version, out var number, out var alias) is { } routeError) return routeError;

        // Read here rather than bound by the framework, so a malformed body is answered in the protocol's error format too.
        InferenceRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InferenceRequest>(http.Request.Body, RequestJson, http.RequestAborted);
        }
        catch (JsonException e)
        {
            // The service's wording (field path and a plain reason), not the serializer's type names and reader advice.
            return Error(StatusCodes.Status400BadRequest,
                $"The body is not a valid $inference_request: {BadRequestExceptionHandler.FieldName(e.Path)}: {BadRequestExceptionHandler.Describe(e)}");
        }
        if (request is null) return Error(StatusCodes.Status400BadRequest, "The body must be a JSON object: the $inference_request.");

        var problems = new List<string>();
        var forecastRequest = InferenceTensors.ToForecastRequest(request, problems);
        var wanted = RequestedOutputs(request, problems);
        if (forecastRequest is null || problems.Count > 0) return Error(StatusCodes.Status400BadRequest, string.Join(" ", problems));

        var result = ForecastEndpoints.ForecastChecked(name, forecastRequest, registry, options, metrics, points, http, number, alias,
            model => UnknownOutputs(wanted, model)).Result;
        switch (result)
        {
            case Ok<ForecastResponse> { Value: { } forecast }:
                return Answer(forecast, request.Id, wanted);
            case ValidationProblem invalid:
                return Error(StatusCodes.Status400BadRequest, string.Join(" ",
                    invalid.ProblemDetails.Errors.SelectMany(e => e.Value.Select(m => $"{InferenceTensors.FieldName(e.Key)}: {m}"))));
            case ProblemHttpResult problem:
                return Error(problem.StatusCode, problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The request failed.");
            default:
                throw new InvalidOperationException($"Unexpected forecast result {result.GetType().Name}.");
        }
    }

    /// <summary>Outputs asked for that the version does not answer (checked before anything is forecast), or null.</summary>
    private static (string, string)? UnknownOutputs(IReadOnlyList<string>? wanted, ForecastModel model)
    {
        if (wanted is null) return null;
        List<string> available = [InferenceTensors.Mean, .. ForecastEndpoints.QuantileKeys(model).Keys.Select(k => InferenceTensors.QuantilePrefix + k)];
        var unknown = wanted.Where(n => !available.Contains(n, StringComparer.Ordinal)).ToList();
        return unknown.Count == 0 ? null
            : ("outputs", $"unknown output(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; this version answers {string.Join(", ", available)}.");
    }

    /// <summary>The forecasts as FP32 tensors [batch, steps]: mean, then each quantile ascending, or the outputs asked for in their order (known: see <see cref="UnknownOutputs"/>).</summary>
    private static Results<Ok<InferenceResponse>, JsonHttpResult<InferenceErrorResponse>> Answer(ForecastResponse forecast, string? id, IReadOnlyList<string>? wanted)
    {
        var batch = forecast.Forecasts.Count;
        var steps = forecast.Horizon;
        var names = wanted ?? [InferenceTensors.Mean, .. forecast.Forecasts[0].Quantiles.Keys.Select(k => InferenceTensors.QuantilePrefix + k)];

        var outputs = new List<InferenceResponseOutput>(names.Count);
        foreach (var output in names)
        {
            var data = new float[batch * steps];
            for (var b = 0; b < batch; b++)
            {
                var f = forecast.Forecasts[b];
                var row = output == InferenceTensors.Mean ? f.Mean : f.Quantiles[output[InferenceTensors.QuantilePrefix.Length..]];
                for (var t = 0; t < steps; t++) data[b * steps + t] = row[t];
            }
            outputs.Add(new InferenceResponseOutput(output, [batch, steps], "FP32", data));
        }
        return TypedResults.Ok(new InferenceResponse(forecast.Model, forecast.Version.ToString(CultureInfo.InvariantCulture), id, outputs));
    }

    /// <summary>
    /// The outputs asked for by name (null: all, also for <c>"outputs": []</c>, which KServe's and Triton's servers read as
    /// none specified); the binary tensor extension is not offered.
    /// </summary>
    private static List<string>? RequestedOutputs(InferenceRequest request, List<string> problems)
    {
        if (request.Outputs is not { Count: > 0 }) return null;
        var names = new List<string>();
        for (var i = 0; i < request.Outputs.Count; i++)
        {
            var output = request.Outputs[i];
            if (output?.Name is not { Length: > 0 } name) { problems.Add($"outputs[{i}].name: required."); continue; }
            if (output.Parameters?.TryGetValue("binary_data", out var binary) == true && binary.ValueKind == JsonValueKind.True)
                problems.Add($"outputs[{i}].parameters.binary_data: the binary tensor data extension is not supported; answers are JSON.");
            // Asked twice, a tensor would be answered once: the request is refused, as a key given twice in a body is.
            if (names.Contains(name, StringComparer.Ordinal)) problems.Add($"outputs[{i}].name: '{name}' is asked for twice; name each output once.");
            else names.Add(name);
        }
        return names;
    }

    /// <summary>The version the route names (a number or an alias; none: the newest available), or the protocol's 400/404.</summary>
    private static VersionRecord? Find(string name, string? version, ModelRegistry registry, out JsonHttpResult<InferenceErrorResponse>? error)
    {
        error = RouteProblem(name, version, out var number, out var alias);
        if (error is not null) return null;
        var lookup = registry.Resolve(name, number, alias);
        // The protocol's tensors are a forecaster's: a classification version is refused as /infer refuses it, not loaded as one.
        var problem = lookup.Version is not { } v ? lookup.ToProblem(name, number, alias) : VersionLookupProblems.WrongTask(v, ModelTask.Forecasting);
        if (problem is null) return lookup.Version;
        error = Error(problem.StatusCode, problem.ProblemDetails.Detail ?? "Not found.");
        return null;
    }

    private static JsonHttpResult<InferenceErrorResponse>? RouteProblem(string name, string? version, out int? number, out string? alias)
    {
        number = null;
        alias = null;
        if (!Names.IsValid(name)) return Error(StatusCodes.Status400BadRequest, $"name: {Names.Rule}");
        if (version is null) return null;
        if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) number = n;
        // All digits is a version number (no alias may be one), so one out of range is refused as such, not looked up as an alias.
        else if (version.All(char.IsAsciiDigit))
            return Error(StatusCodes.Status400BadRequest, $"version: a version number is a whole number from 1 to {int.MaxValue}, not '{version}'.");
        else if (Names.IsValid(version)) alias = version;
        else return Error(StatusCodes.Status400BadRequest, $"version: a version number or an alias ({Names.Rule}).");
        return null;
    }

    private static JsonHttpResult<InferenceErrorResponse> Error(int status, string message) =>
        TypedResults.Json(new InferenceErrorResponse(message), statusCode: status);
}

using System.Text.Json;
using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using LstmService.Kernels;
using LstmService.Registry;
using LstmService.Streams;
using LstmService.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LstmService.Models;

/// <summary>The handlers of <see cref="ModelEndpoints"/>: each returns its declared results, so OpenAPI lists them.</summary>
public static class ModelHandlers
{
    /// <summary>Streams a refused version deletion names (the oldest first).</summary>
    const int ListedStreams = 5;

    public static Ok<ModelSummaryResponse[]> ListModels(ModelRegistry registry)
    {
        var versions = registry.ListVersions().ToLookup(v => v.Model);
        var aliases = registry.ListAliases().ToLookup(a => a.Model);
        return TypedResults.Ok(registry.ListModels().Select(m =>
        {
            var own = versions[m.Name].ToList();
            return new ModelSummaryResponse(m.Name, m.CreatedAt, own.Count, own.LastOrDefault()?.Version,
                aliases[m.Name].ToDictionary(a => a.Alias, a => a.Version), registry.DefaultOf(m.Name, own)?.Version);
        }).ToArray());
    }

    public static Results<Ok<ModelResponse>, ProblemHttpResult> GetModel(string name, ModelRegistry registry)
    {
        if (registry.GetModel(name) is not { } model) return registry.ModelNotFound(name);
        var versions = registry.ListVersions(name);
        return TypedResults.Ok(new ModelResponse(
            model.Name, model.CreatedAt, versions.LastOrDefault()?.Version, registry.Resolve(name, null, null).Version?.Version,
            versions.Select(v => new VersionSummaryResponse(v.Version, v.CreatedAt, v.Source, registry.UnavailableReason(v.Model, v.Version) is null, v.InputWindow, v.Horizon, v.JobId, v.Architecture.Task)).ToArray(),
            registry.ListAliases(name).ToDictionary(a => a.Alias, a => a.Version)));
    }

    public static Results<NoContent, ProblemHttpResult> DeleteModel(string name, ModelRegistry registry, TrainingQueue queue)
    {
        IReadOnlyList<Guid> running = [];
        if (!registry.DeleteModel(name, (c, tx) =>
            {
                running = TrainingJobStore.CancelJobsOfModel(c, tx, name);
                TrainingJobStore.PurgeJobsOfModel(c, tx, name);
                StreamStore.DeleteModelStreams(c, tx, name);
                Drift.VersionEventStore.DeleteModelEvents(c, tx, name);
            }))
            return registry.ModelNotFound(name);
        queue.CancelRunning(running);
        return TypedResults.NoContent();
    }

    public static Results<Ok<VersionResponse>, ProblemHttpResult> GetVersion(string name, int version, ModelRegistry registry)
    {
        var lookup = registry.Resolve(name, version, null);
        return lookup.Version is { } v ? TypedResults.Ok(ToResponse(v, registry)) : lookup.ToProblem(name, version, null);
    }

    public static Results<NoContent, ProblemHttpResult> DeleteVersion(string name, int version, ModelRegistry registry, IOptions<StreamOptions> streamOptions,
        TimeProvider time)
    {
        if (registry.GetModel(name) is null) return registry.ModelNotFound(name);
        // A stream's next append needs its version: refused, as for an alias, rather than breaking the stream's client.
        var since = time.GetUtcNow().AddDays(-streamOptions.Value.IdleDays);
        var deletion = registry.DeleteVersion(name, version, (c, tx) => StreamStore.VersionStreamIds(c, tx, name, version, since, ListedStreams));
        if (!deletion.Found) return Problems.VersionNotFound(name, version);
        if (deletion.BlockingAliases.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Version is aliased",
                detail: $"Version {version} of model '{name}' is the target of alias(es) {string.Join(", ", deletion.BlockingAliases.Select(a => $"'{a}'"))}; move or delete them first." +
                    (deletion.Readers > 0 ? " " + StreamsReading(deletion) : ""));
        if (deletion.Readers > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Version has streams",
                detail: $"Version {version} of model '{name}': " + StreamsReading(deletion));
        return TypedResults.NoContent();
    }

    static string StreamsReading(VersionDeletion deletion) =>
        $"{deletion.Readers} stream(s) read it ({string.Join(", ", deletion.FirstReaders.Select(id => $"'{id}'"))}" +
        $"{(deletion.Readers > deletion.FirstReaders.Count ? " and more" : "")}); delete them first (DELETE /streams/{{id}}), or let them expire after Streams:IdleDays without an append.";

    public static Results<Created<VersionResponse>, ValidationProblem, ProblemHttpResult> RegisterVersion(string name, RegisterVersionRequest request, ModelRegistry registry,
        IOptions<TrainingQueueOptions> limits)
    {
        var errors = new ValidationErrors();
        if (request.StateDict is not { ValueKind: JsonValueKind.Object } stateDict) errors.Add("stateDict", "Required: a JSON object of tensors.");
        else if (stateDict.TryGetProperty(ForecastModel.StateClassificationKey, out _))
            errors.Add($"stateDict.{ForecastModel.StateClassificationKey}", ForecastModel.ClassifierExportRefusal);
        // An exported document carries its settings ("_forecast"); a plain PyTorch state_dict needs inputWindow and horizon.
        else if (!stateDict.TryGetProperty(ForecastModel.StateForecastKey, out _))
        {
            const string why = "Required: the stateDict has no " + ForecastModel.StateForecastKey + " settings.";
            if (request.InputWindow is null) errors.Add("inputWindow", why);
            if (request.Horizon is null) errors.Add("horizon", why);
        }
        errors.Range("inputWindow", request.InputWindow, 1, TrainingRequestValidator.MaxInputWindow);
        errors.Range("horizon", request.Horizon, 1, TrainingRequestValidator.MaxHorizon);
        if (request.Scaling is { } s && !Enum.IsDefined(s)) errors.Add("scaling", "Must be windowLevel, seriesZScore or seriesRobust.");
        if (request.Strategy is { } st && !Enum.IsDefined(st)) errors.Add("strategy", "Must be direct or recursive.");
        var quantiles = TrainingRequestValidator.ValidateQuantiles(request.Quantiles, errors);
        // The declared shapes, before the kernel allocates a network from them.
        if (request.StateDict is { ValueKind: JsonValueKind.Object } declared) StateDictLimits.Check(declared, limits.Value, errors);
        if (!errors.IsValid) return TypedResults.ValidationProblem(errors.ToDictionary());

        ForecastModel model;
        try
        {
            // Settings given here must agree with the document's own (the kernel refuses a contradiction).
            model = ForecastModel.FromStateDict(request.StateDict!.Value.GetRawText(), request.InputWindow, request.Horizon,
                quantiles?.Order().ToArray(), request.Scaling, request.Strategy);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or JsonException or FormatException)
        {
            // Under the field at fault: a setting given beside the document, or the place inside it.
            var field = StateDictErrors.ArgumentOf(e) ?? (StateDictErrors.KeyOf(e) is { } key ? $"stateDict.{key}" : "stateDict");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [ClientMessages.Of(e)] });
        }
        // The document's own settings were held to the request's limits before it was read (StateDictLimits.CheckSettings).
        var stored = registry.AddVersion(new NewVersion(name, model, VersionSource.Imported))!;
        return TypedResults.Created($"/models/{name}/versions/{stored.Version}", ToResponse(stored, registry));
    }

    /// <summary>The torch export's document version, part of its ETag: raise it when the document a version exports changes.</summary>
    public const int TorchExportVersion = 1;

    public static Results<FileStreamHttpResult, PushStreamHttpResult, ValidationProblem, ProblemHttpResult> GetWeights(
        string name, int version, ModelRegistry registry, HttpContext http, string? format = null)
    {
        format = format?.ToLowerInvariant() ?? "binary"; // ?format=TORCH as well
        if (format is not ("binary" or "torch"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [format.Contains(',', StringComparison.Ordinal)
                ? "Give format once: binary or torch." // ?format=torch&format=torch binds as "torch,torch"
                : "Must be binary or torch."] });
        var lookup = registry.Resolve(name, version, null);
        if (lookup.Version is not { } v) return lookup.ToProblem(name, version, null);

        // The torch document is written from the weights alone, so the weights' hash tags it too (as another representation):
        // a client revalidates it with If-None-Match as it does the binary file, instead of downloading it again.
        // The export's version is in the tag, so a client's copy from a release whose document differed is not revalidated.
        var torchTag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{v.WeightsSha256}.torch-v{TorchExportVersion}\"");
        // HEAD learns the status and the tag without the export being built (which a GET builds whole in memory).
        bool head = HttpMethods.IsHead(http.Request.Method);
        var tag = format == "torch" ? torchTag : new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{v.WeightsSha256}\"");
        // Checked once the weights are known to be served (RFC 9110 13.2.1: a precondition is not evaluated where the answer
        // would be no 2xx anyway): missing or unreadable weights keep their own 409 or 503.
        var precondition = Problems.PreconditionFailed($"Version {version} of model '{name}' has the ETag {tag.Tag} in format {format}, which If-Match does not name: " +
            "they are other weights than the copy it names (or another format's). Download them again without If-Match, or drop it.");
        if (format == "torch" && v.Architecture.Task == ModelTask.Classification)
        {
            var (classifier, error) = registry.GetClassifier(v);
            return classifier is null ? registry.LoadProblem(v, error!, http)
                : IfMatchFails(http, tag) ? precondition
                : TypedResults.Stream(body => head ? Task.CompletedTask : classifier.WriteStateDictJsonAsync(body, http.RequestAborted), "application/json", entityTag: torchTag);
        }
        if (format == "torch")
        {
            var (model, error) = registry.GetForecaster(v);
            if (model is null) return registry.LoadProblem(v, error!, http);
            if (IfMatchFails(http, tag)) return precondition;
            // Streamed as it is written: held whole (its JSON and a parsed copy), a GRU of 3.2 million parameters raised the peak by
            // 244-250 MB against 55-57 MB now (tools/torch-export-memory.sh).
            return TypedResults.Stream(body => head ? Task.CompletedTask : model.WriteStateDictJsonAsync(body, http.RequestAborted), "application/json", entityTag: torchTag);
        }
        // Streamed from storage once it is hashed, never held whole: any read key may ask for it, and at the default
        // Training:MaxNetworkParameters a file is up to 64 MiB (a review).
        var (content, readError) = registry.OpenWeights(v);
        if (content is null) return registry.LoadProblem(v, readError!, http);
        if (IfMatchFails(http, tag))
        {
            content.Dispose();
            return precondition;
        }
        return TypedResults.File(content, "application/octet-stream", $"{name}-v{version}.lstm", entityTag: tag);
    }

    /// <summary>
    /// Whether an If-Match names neither <paramref name="tag"/> (strongly) nor '*'. The file result would answer a bare 412
    /// itself; answered here it says which ETag the weights have.
    /// </summary>
    private static bool IfMatchFails(HttpContext http, Microsoft.Net.Http.Headers.EntityTagHeaderValue tag)
    {
        var ifMatch = http.Request.GetTypedHeaders().IfMatch;
        return ifMatch is { Count: > 0 } && !ifMatch.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: true));
    }

    public static Results<Ok<AliasResponse>, ValidationProblem, ProblemHttpResult> SetAlias(string name, string alias, SetAliasRequest request, ModelRegistry registry)
    {
        if (Names.IsAllDigits(alias))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alias"] = [Names.AliasDigitsRule] });
        if (request.Version is not { } version)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Required."] });
        // 0 or -1 is no version any model can have: a 404 would send the caller looking for one.
        if (version < 1)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = [UnmatchedRequestProblems.VersionRule(version.ToString(System.Globalization.CultureInfo.InvariantCulture))] });
        if (registry.GetModel(name) is null) return registry.ModelNotFound(name);
        var stored = registry.SetAlias(name, alias, version);
        return stored is null ? Problems.VersionNotFound(name, version) : TypedResults.Ok(new AliasResponse(stored.Model, stored.Alias, stored.Version, stored.UpdatedAt));
    }

    public static Results<NoContent, ProblemHttpResult> DeleteAlias(string name, string alias, ModelRegistry registry)
    {
        if (registry.GetModel(name) is null) return registry.ModelNotFound(name);
        return registry.DeleteAlias(name, alias) ? TypedResults.NoContent() : Problems.AliasNotFound(name, alias);
    }

    internal static VersionResponse ToResponse(VersionRecord v, ModelRegistry registry) => VersionResponse.From(
        v, registry.UnavailableReason(v.Model, v.Version),
        registry.ListAliases(v.Model).Where(a => a.Version == v.Version).Select(a => a.Alias).ToArray());
}

using LstmService.Forecasting.Models;
using LstmService.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LstmService.Registry;

/// <summary>A failed <see cref="VersionLookup"/> as the 404 that the model and forecast endpoints answer alike.</summary>
public static class VersionLookupProblems
{
    public static ProblemHttpResult ToProblem(this VersionLookup lookup, string name, int? version, string? alias) => lookup.Status switch
    {
        VersionLookupStatus.ModelNotFound => Problems.ModelNotFound(name, lookup.Reason),
        VersionLookupStatus.AliasNotFound => Problems.AliasNotFound(name, alias!),
        VersionLookupStatus.NoVersions => Problems.NoVersions(name, lookup.Reason),
        _ => version is { } v ? Problems.VersionNotFound(name, v, lookup.Reason) : Problems.AliasTargetMissing(name, alias),
    };

    /// <summary>The 404 for a model the registry does not hold, suggesting the name nearest to it (<see cref="ModelRegistry.NearestModelName"/>).</summary>
    public static ProblemHttpResult ModelNotFound(this ModelRegistry registry, string name) => Problems.ModelNotFound(name, registry.NearestModelName(name));

    /// <summary>
    /// The version a serving endpoint (forecast, classify) answers with: ?version, ?alias or the newest, logged with the request.
    /// Null when found and of the endpoint's <paramref name="task"/>; else the 404 of the lookup, or the 400 naming the route
    /// that answers a version of the other task. <paramref name="found"/> is set only when the answer is null.
    /// </summary>
    public static ProblemHttpResult? ResolveForTask(this ModelRegistry registry, string name, int? version, string? alias,
        ModelTask task, HttpContext http, out VersionRecord found)
    {
        found = null!;
        // As the routes' {version} answers a number that is no version (0, -1): the caller's mistake, not a missing version.
        if (version is < 1)
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["version"] = [UnmatchedRequestProblems.VersionRule(version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))] })
            { Status = StatusCodes.Status400BadRequest });
        var lookup = registry.Resolve(name, version, alias);
        if (lookup.Version is not { } v) return lookup.ToProblem(name, version, alias);
        if (WrongTask(v, task) is { } wrong) return wrong;
        RequestLog.Set(http, "Version", v.Version);
        found = v;
        return null;
    }

    /// <summary>The 400 for a version of the other task than an endpoint serves (it would fail to load as this one), or null.</summary>
    public static ProblemHttpResult? WrongTask(VersionRecord v, ModelTask task) =>
        v.Architecture.Task == task ? null
        : task == ModelTask.Forecasting
            ? Problems.WrongTask(v.Model, v.Version, "classification", "forecasting", $"POST /models/{v.Model}/classify answers it.")
            : Problems.WrongTask(v.Model, v.Version, "forecasting", "classification", $"POST /models/{v.Model}/forecast answers it.");

    /// <summary>
    /// Why a found version's weights could not be served: 404 when the version was deleted meanwhile (a delete racing the
    /// request), 409 when it is marked unavailable (missing or altered weights), else 503 with Retry-After (an I/O error that
    /// outlasted the retries and may pass).
    /// </summary>
    public static ProblemHttpResult LoadProblem(this ModelRegistry registry, VersionRecord version, string error, HttpContext http)
    {
        if (registry.GetVersion(version.Model, version.Version) is null) return Problems.VersionNotFound(version.Model, version.Version);
        if (registry.UnavailableReason(version.Model, version.Version) is { } reason) return Problems.Unavailable(version.Model, version.Version, reason);
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Weights temporarily unreadable",
            detail: $"Version {version.Version} of model '{version.Model}' could not be read just now: {error}. Retry shortly.");
    }
}

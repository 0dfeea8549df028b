using Microsoft.AspNetCore.Http.HttpResults;

namespace LstmService.Infrastructure;

/// <summary>The ProblemDetails answers about models, versions and aliases that several features give.</summary>
public static class Problems
{
    /// <summary>The 404 for a model the registry does not hold; <paramref name="nearest"/>, a name it does hold that the caller may have meant.</summary>
    public static ProblemHttpResult ModelNotFound(string name, string? nearest = null) =>
        TypedResults.Problem(statusCode: 404, title: "Model not found",
            detail: nearest is null ? $"There is no model '{name}'." : $"There is no model '{name}'. Did you mean '{nearest}'?");

    /// <summary>The 404 for a version a model does not have; <paramref name="pending"/> (a queued or running training job) may yet make it.</summary>
    public static ProblemHttpResult VersionNotFound(string name, int version, string? pending = null) =>
        TypedResults.Problem(statusCode: 404, title: "Version not found",
            detail: pending is null ? $"Model '{name}' has no version {version}." : $"Model '{name}' has no version {version} yet: {pending}");

    public static ProblemHttpResult AliasNotFound(string name, string alias) =>
        TypedResults.Problem(statusCode: 404, title: "Alias not found", detail: $"Model '{name}' has no alias '{alias}'.");

    /// <summary>404 for a model without versions, saying what became of its training (its job is running, failed, was cancelled...).</summary>
    public static ProblemHttpResult NoVersions(string name, string? reason) =>
        TypedResults.Problem(statusCode: 404, title: "Model has no versions", detail: $"Model '{name}' has no version: {reason ?? "none has been trained or registered."}");

    public static ProblemHttpResult AliasTargetMissing(string name, string? alias) =>
        TypedResults.Problem(statusCode: 404, title: "Version not found", detail: $"Alias '{alias}' of model '{name}' points to a missing version.");

    /// <summary>
    /// 409 for a version whose weights file is missing or altered: retrying won't help until an operator restores the weights
    /// (served again within seconds), or a writer deletes the version or registers it again; other versions keep working. It
    /// had told every client, read keys too, to delete it (a QA pass).
    /// </summary>
    public static ProblemHttpResult Unavailable(string name, int version, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Version unavailable",
            detail: $"Version {version} of model '{name}' cannot be served: {reason.TrimEnd('.')}. Use another version; the service's operator can restore " +
                "its weights from a backup (it is served again within seconds), or a write key delete it or register it again.");

    /// <summary>412 for an If-Match that names other content than the resource has; <paramref name="detail"/> says what it has.</summary>
    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed", detail: detail);

    /// <summary>400 for a version of the other task (a classifier asked to forecast, a forecaster to classify): the request can't work on it.</summary>
    public static ProblemHttpResult WrongTask(string name, int version, string versionTask, string asked, string hint) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Not a {asked} model",
            detail: $"Version {version} of model '{name}' is a {versionTask} model; {hint}");
}

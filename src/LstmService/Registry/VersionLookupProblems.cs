using LstmService.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LstmService.Registry;

/// <summary>A failed <see cref="VersionLookup"/> as the 404 that the model and forecast endpoints answer alike.</summary>
public static class VersionLookupProblems
{
    public static ProblemHttpResult ToProblem(this VersionLookupStatus status, string name, int? version, string? alias) => status switch
    {
        VersionLookupStatus.ModelNotFound => Problems.ModelNotFound(name),
        VersionLookupStatus.AliasNotFound => Problems.AliasNotFound(name, alias!),
        VersionLookupStatus.NoVersions => Problems.NoVersions(name),
        _ => version is { } v ? Problems.VersionNotFound(name, v) : Problems.AliasTargetMissing(name, alias),
    };
}

namespace LstmService.Models;

/// <summary>A model with its versions and aliases.</summary>
/// <param name="Name">Model name.</param>
/// <param name="CreatedAt">When the model was created.</param>
/// <param name="LatestVersion">Newest version, null while the model has none.</param>
/// <param name="DefaultVersion">The version a request naming no version or alias is answered by: the newest available one that is no drift challenger short of winning its comparison; when no version is available, the newest (a request then answers 409 saying why); null while the model has none.</param>
/// <param name="Versions">Versions, oldest first.</param>
/// <param name="Aliases">Alias → version.</param>
public sealed record ModelResponse(string Name, DateTimeOffset CreatedAt, int? LatestVersion, int? DefaultVersion, IReadOnlyList<VersionSummaryResponse> Versions, IReadOnlyDictionary<string, int> Aliases);

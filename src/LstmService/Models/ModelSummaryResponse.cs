namespace LstmService.Models;

/// <summary>A model in the list.</summary>
/// <param name="Name">Model name.</param>
/// <param name="CreatedAt">When the model was created (first training job or registration).</param>
/// <param name="Versions">Number of versions.</param>
/// <param name="LatestVersion">Newest version, null while the model has none.</param>
/// <param name="Aliases">Alias → version.</param>
/// <param name="DefaultVersion">The version a request naming no version or alias is answered by (the newest available one that is no drift challenger short of winning its comparison; when no version is available, the newest, which answers 409 saying why), as GET /models/{name} gives it; null while the model has none.</param>
public sealed record ModelSummaryResponse(string Name, DateTimeOffset CreatedAt, int Versions, int? LatestVersion, IReadOnlyDictionary<string, int> Aliases,
    int? DefaultVersion);

namespace LstmService.Models;

/// <summary>A model in the list.</summary>
/// <param name="Name">Model name.</param>
/// <param name="CreatedAt">When the model was created (first training job or registration).</param>
/// <param name="Versions">Number of versions.</param>
/// <param name="LatestVersion">Newest version, null while the model has none.</param>
/// <param name="Aliases">Alias → version.</param>
public sealed record ModelSummaryResponse(string Name, DateTimeOffset CreatedAt, int Versions, int? LatestVersion, IReadOnlyDictionary<string, int> Aliases);

namespace LstmService.Models;

/// <summary>An alias.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Alias">The alias (production, staging, ...).</param>
/// <param name="Version">The version it points to.</param>
/// <param name="UpdatedAt">When it was last set (UTC).</param>
public sealed record AliasResponse(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);

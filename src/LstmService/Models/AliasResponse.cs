namespace LstmService.Models;

/// <summary>An alias.</summary>
public sealed record AliasResponse(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);

namespace LstmService.Registry;

public sealed record AliasRecord(string Model, string Alias, int Version, DateTimeOffset UpdatedAt);

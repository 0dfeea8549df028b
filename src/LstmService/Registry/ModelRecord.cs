namespace LstmService.Registry;

public sealed record ModelRecord(string Name, DateTimeOffset CreatedAt);

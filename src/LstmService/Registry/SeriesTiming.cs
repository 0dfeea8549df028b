namespace LstmService.Registry;

/// <summary>When a training series was observed, as stored with its job and version: the times of its first and last value.</summary>
public sealed record SeriesTiming(string? Id, DateTimeOffset Start, DateTimeOffset End);

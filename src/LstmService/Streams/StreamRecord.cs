namespace LstmService.Streams;

/// <summary>A stream's row.</summary>
public sealed record StreamRecord(string Id, string Model, int Version, string SeriesId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    long Revision, int Length, StreamDocument Document);

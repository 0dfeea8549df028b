namespace LstmService.Streams;

/// <summary>An anomaly as stored.</summary>
public sealed record AnomalyRecord(string StreamId, DateTimeOffset FlaggedAt, int Index, int Step, double Value, double Lower, double Upper);

namespace LstmService.Streams;

/// <summary>A scored value as stored (one per forecast that covered it); Seq is its row (stream_scores.seq) once stored, 0 before.</summary>
public sealed record ScoreRecord(int Index, int Step, double AbsoluteError, double SquaredError, double ScaledError, double? Smape, int Hits, long Seq = 0);

namespace LstmService.Streams;

/// <summary>A scored value as stored (one per forecast that covered it).</summary>
public sealed record ScoreRecord(int Index, int Step, double AbsoluteError, double SquaredError, double ScaledError, double? Smape, int Hits);

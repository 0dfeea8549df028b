namespace LstmService.Streams;

/// <summary>The network's (h, c) per layer after reading the stream's last window (derived; [layer][unit]); a GRU has h only (cell null).</summary>
public sealed record NetworkStateExport(float[][] Hidden, float[][]? Cell);

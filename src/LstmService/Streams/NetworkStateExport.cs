namespace LstmService.Streams;

/// <summary>The network's (h, c) per layer after reading the stream's last window (derived; [layer][unit]); a GRU has h only (cell null).</summary>
/// <param name="Hidden">Each recurrent layer's hidden state h, [layer][unit] (an ensemble's merged network: every member's units).</param>
/// <param name="Cell">Each LSTM layer's cell state c, [layer][unit]; null for a GRU, which has none.</param>
public sealed record NetworkStateExport(float[][] Hidden, float[][]? Cell);

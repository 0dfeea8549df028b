namespace LstmService.Models;

/// <summary>A stored weights file.</summary>
/// <param name="Sha256">SHA-256 of the file (also its name in the data directory).</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="Format">The library's binary format; GET .../weights?format=torch gives the state_dict JSON.</param>
public sealed record WeightsInfo(string Sha256, long SizeBytes, string Format);

namespace LstmService.Models;

/// <summary>One training series' dates.</summary>
/// <param name="Id">The series' id, as trained.</param>
/// <param name="Start">The time of its first value.</param>
/// <param name="End">The time of its last value: its forecasts start one step later.</param>
public sealed record SeriesTimingResponse(string? Id, DateTimeOffset Start, DateTimeOffset End);

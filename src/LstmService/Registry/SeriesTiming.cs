using System.Text.Json.Serialization;

namespace LstmService.Registry;

/// <summary>When a training series was observed, as stored with its job and version: the times of its first and last value.</summary>
/// <param name="Id">The series' id, when it has one.</param>
/// <param name="Start">The time of its first value.</param>
/// <param name="End">The time of its last value.</param>
/// <param name="MonthDay">
/// For a monthly (quarterly, yearly) series, the day of the month it steps on (31: month ends; see
/// <see cref="Infrastructure.TimeFrequency.MonthDay(IReadOnlyCollection{DateTimeOffset})"/>), which its two ends alone do not
/// always tell (a series on the 30th from 28 February to 30 June); 0 when not known (versions stored before it was kept).
/// </param>
/// <param name="TrailingMissing">
/// The missing values after the last observed one that the series was sent with; where it is known, <see cref="End"/> is
/// the last observed value's time (null in versions stored before 2026-12-06, whose end was the series' last value, missing
/// or not).
/// </param>
/// <param name="LeadingMissing">
/// The missing values before the first observed one that the series was sent with (a wide CSV's column for a shop opened
/// later): <see cref="Start"/> is the first slot's time, so its first observed value came this many steps later. Null in
/// versions stored before it was kept, whose histories are dated by their whole length.
/// </param>
public sealed record SeriesTiming(string? Id, DateTimeOffset Start, DateTimeOffset End,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int MonthDay = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TrailingMissing = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LeadingMissing = null);

using LstmService.Registry;

namespace LstmService.Models;

/// <summary>When a version's training series were observed: what dates its forecasts.</summary>
/// <param name="Frequency">The sampling frequency as an ISO 8601 duration (P1Y, P3M for quarters, P1M, P1W, P1D, PT1H, PT30M).</param>
/// <param name="Series">Each dated training series' first and last time; a forecast of a series with the same id and no start or timestamps continues from its end.</param>
public sealed record TimingResponse(string Frequency, IReadOnlyList<SeriesTimingResponse> Series)
{
    /// <summary>Null when the version does not know its frequency (trained without dates, or registered from a state_dict).</summary>
    public static TimingResponse? From(TrainingSettings? settings) => settings?.Frequency is { } frequency
        ? new TimingResponse(frequency, [.. (settings.Timing ?? []).Select(t => new SeriesTimingResponse(t.Id, t.Start, t.End))])
        : null;
}

using LstmService.Infrastructure;

namespace LstmService.Training;

/// <summary>
/// Carries an uploaded CSV's time axis into the training request: the inferred frequency (which suggests the season and is
/// stored with the version) and each series' start (so the version knows its last time and forecasts carry timestamps).
/// </summary>
public static class CsvTiming
{
    /// <summary>
    /// <paramref name="request"/> with the time column's frequency and start, unchanged when the file has no times. A form
    /// field <c>frequency</c> is kept when the file has no times (it then dates nothing but still suggests the season), and must
    /// agree with the time column otherwise.
    /// </summary>
    public static TrainingRequest Apply(TrainingRequest request, CsvTable table, ValidationErrors errors, IReadOnlyList<CsvValueColumn>? seriesColumns = null)
    {
        var frequency = table.Timeline?.Frequency ?? seriesColumns?.Select(c => c.Timeline?.Frequency).FirstOrDefault(f => f is not null);
        if (frequency is not { } step) return request;
        if (request.Frequency is { } given)
        {
            // An unknown frequency is left for the validator to name; a known one must be the time column's.
            if (TimeFrequency.Parse(given) is not { } asked) return request;
            if (asked != step)
            {
                errors.Add("frequency", $"The time column steps by {step} ({step.ToIso()}); leave frequency out or give {step.ToIso()}.");
                return request;
            }
        }
        return request with
        {
            Frequency = step.ToIso(),
            Series = request.Series?.Select((s, i) => TimelineOf(table, seriesColumns, i) is { } timeline ? s with { Start = Timestamps.Format(timeline.Timestamps[0]) } : s).ToArray(),
        };
    }

    /// <summary>
    /// <paramref name="spec"/> with each series' end the time of its last observed value on the time column (its id's in long
    /// format; the timeline holds a time per slot, as the series a value): dated from the
    /// start alone, the end would take the start's offset (before a change of daylight saving) and read a February start on
    /// the 28th as month ends.
    /// </summary>
    public static TrainingJobSpec WithEnds(TrainingJobSpec spec, CsvTable table, IReadOnlyList<CsvValueColumn>? seriesColumns = null)
    {
        if (spec.Settings.Timing is not { } timing) return spec;
        return spec with
        {
            Settings = spec.Settings with
            {
                Timing = [.. timing.Select((t, i) => TimelineOf(table, seriesColumns, i) is { Frequency: not null } timeline
                    && (i < spec.Series.Count ? HistoryLength.TrailingMissing(spec.Series[i].Values) : 0) is var trailing
                    ? t with { End = timeline.Timestamps[^(1 + Math.Min(trailing, timeline.Timestamps.Count - 1))], MonthDay = timeline.MonthDay, TrailingMissing = trailing }
                    : t)],
            },
        };
    }

    /// <summary>Series <paramref name="series"/>'s times: in long format its id's own (all on one step), else the time column's.</summary>
    private static CsvTimeline? TimelineOf(CsvTable table, IReadOnlyList<CsvValueColumn>? seriesColumns, int series) =>
        seriesColumns?[series].Timeline ?? table.Timeline;
}

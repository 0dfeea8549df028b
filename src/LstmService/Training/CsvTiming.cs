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
    public static TrainingRequest Apply(TrainingRequest request, CsvTable table, ValidationErrors errors)
    {
        if (table.Timeline is not { Frequency: { } step } timeline) return request;
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
        var start = Timestamps.Format(timeline.Timestamps[0]);
        return request with
        {
            Frequency = step.ToIso(),
            Series = request.Series?.Select(s => s with { Start = start }).ToArray(),
        };
    }

    /// <summary>
    /// <paramref name="spec"/> with each series' end the time column's last time: dated from the start alone, the end would
    /// take the start's offset (before a change of daylight saving) and read a February start on the 28th as month ends.
    /// </summary>
    public static TrainingJobSpec WithEnds(TrainingJobSpec spec, CsvTable table)
    {
        if (table.Timeline is not { Frequency: not null } timeline || spec.Settings.Timing is not { } timing) return spec;
        var end = timeline.Timestamps[^1];
        return spec with { Settings = spec.Settings with { Timing = [.. timing.Select(t => t with { End = end })] } };
    }
}

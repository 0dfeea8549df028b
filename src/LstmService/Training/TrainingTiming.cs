using LstmService.Infrastructure;
using LstmService.Registry;

namespace LstmService.Training;

/// <summary>
/// The time axis of a JSON training request: its <c>frequency</c> and each series' <c>start</c> or <c>timestamps</c>.
/// Timestamps are handled as an uploaded CSV's time column is: the values (and covariates) are put in time order on a
/// regular grid, a missing time becoming a missing value. Every problem is named by its field
/// (<c>series[0].timestamps[3]</c>).
/// </summary>
public static class TrainingTiming
{
    /// <summary>
    /// Gaps may add at most this many slots per timestamp, plus <see cref="ExtraSlots"/> (as for a CSV): a grid that is
    /// mostly holes comes from a stray timestamp, not from data.
    /// </summary>
    private const int MaxSlotsPerValue = 4, ExtraSlots = 10_000;

    /// <summary>
    /// The request's frequency (ISO 8601, null when unknown) and the series' timing; <paramref name="series"/> (one per
    /// request series, as validated) is re-laid in time order where timestamps were given.
    /// </summary>
    public static (string? Frequency, IReadOnlyList<SeriesTiming>? Timing) Resolve(
        TrainingRequest request, List<StoredSeries> series, TrainingQueueOptions limits, ValidationErrors errors)
    {
        TimeFrequency? frequency = null;
        if (request.Frequency is { } text)
        {
            frequency = TimeFrequency.Parse(text);
            if (frequency is null) errors.Add("frequency", $"Unknown frequency '{text}': use {TimeFrequency.Accepted}.");
        }
        var inputs = request.Series ?? [];
        frequency ??= TimeGrid.DailyBesideBusiness(inputs.Select(s => s?.Timestamps));
        var timing = new List<SeriesTiming>();
        string? inferredFrom = null;
        for (var i = 0; i < inputs.Count && i < series.Count; i++)
        {
            var input = inputs[i];
            if (input is null || input.Start is null && input.Timestamps is null) continue;
            var n = series[i].Values.Length;
            if (input.Start is not null && input.Timestamps is not null)
            {
                errors.Add($"series[{i}].start", "Give start or timestamps, not both.");
                continue;
            }
            if (input.Start is { } startText)
            {
                var field = $"series[{i}].start";
                if (!Timestamps.TryParse(startText, out var start)) errors.Add(field, Timestamps.Refusal(startText));
                else if (request.Frequency is null) errors.Add(field, $"A start needs the request's frequency ({TimeFrequency.Accepted}) to date the values after it.");
                else if (frequency is { } weekdays && weekdays.StartProblem(start) is { } weekend) errors.Add(field, weekend);
                else if (frequency is { } step && n > 0)
                {
                    // A series ends at its last observed value: a CSV column whose last three cells were empty had been dated
                    // to the file's last row, its observed values forecast by id three months late (a QA pass).
                    int trailing = HistoryLength.TrailingMissing(series[i].Values);
                    if (step.TryAdvance(start, n - 1 - trailing) is { } end)
                        timing.Add(new SeriesTiming(input.Id, start, end, step.IsCalendar ? TimeFrequency.MonthDayFrom(start) : 0, trailing,
                            HistoryLength.LeadingMissing(series[i].Values)));
                    else errors.Add(field, $"{n} values every {step} from {Timestamps.Format(start)} would pass the year 9999.");
                }
                continue;
            }
            var grid = Lay(input.Timestamps!, i, n, frequency, limits.MaxPointsPerSeries, errors);
            if (grid is null) continue;
            if (frequency is null)
            {
                frequency = grid.Frequency;
                inferredFrom = $"series[{i}]";
            }
            else if (frequency != grid.Frequency)
            {
                errors.Add($"series[{i}].timestamps", $"The timestamps step by {grid.Frequency}, but {inferredFrom}'s by {frequency}: one model has one frequency; give frequency to lay both on it.");
                continue;
            }
            if (grid.Slots.Count + (series.Sum(s => (long)s.Values.Length) - n) > limits.MaxTotalPoints)
            {
                errors.Add($"series[{i}].timestamps", $"With its gaps filled the series has {grid.Slots.Count} values, past TrainingQueue:MaxTotalPoints ({limits.MaxTotalPoints}) with the other series.");
                continue;
            }
            series[i] = Relay(series[i], grid.Slots);
            // The last observed value's own time (its offset too), where the series ends with missing values.
            int missing = HistoryLength.TrailingMissing(series[i].Values);
            var last = missing > 0 && grid.Slots[^(1 + missing)] is var slot and >= 0 && Timestamps.TryParse(input.Timestamps![slot], out var observed) ? observed : grid.End;
            timing.Add(new SeriesTiming(input.Id, grid.Start, last, grid.MonthDay, missing,
                HistoryLength.LeadingMissing(series[i].Values)));
        }
        return (frequency?.ToIso(), timing.Count > 0 ? timing : null);
    }

    private static TimeGrid? Lay(IReadOnlyList<string> texts, int i, int n, TimeFrequency? frequency, int maxPoints, ValidationErrors errors)
    {
        var field = $"series[{i}].timestamps";
        if (texts.Count != n)
        {
            errors.Add(field, $"Has {texts.Count} timestamps; values has {n}: give one timestamp per value.");
            return null;
        }
        if (Timestamps.TryParseAll(texts, field, errors) is not { Length: > 0 } times) return null;
        // Gaps count as values: the filled series is held to TrainingQueue:MaxPointsPerSeries like any other.
        var grid = TimeGrid.Build(times, frequency, Math.Min((long)MaxSlotsPerValue * n + ExtraSlots, maxPoints), out var problem);
        if (problem is { } p) errors.Add($"{field}[{p.Index}]", p.Message);
        return grid;
    }

    /// <summary>The series' values and covariates in slot order, null where a slot has no value.</summary>
    private static StoredSeries Relay(StoredSeries series, IReadOnlyList<int> slots)
    {
        double?[] Lay(double?[] values) => values.Length != series.Values.Length ? values // misaligned: left for the kernel to name
            : [.. slots.Select(k => k < 0 ? null : values[k])];
        return series with
        {
            Values = Lay(series.Values),
            Covariates = series.Covariates?.ToDictionary(kv => kv.Key, kv => Lay(kv.Value), StringComparer.Ordinal),
        };
    }
}

using LstmService.Infrastructure;
using LstmService.Registry;

namespace LstmService.Forecasts;

/// <summary>
/// Dates a forecast: each history's last time (from its <c>start</c>, its <c>timestamps</c>, or the training series of the
/// same id) and the frequency (the request's, else the version's, else the step of the timestamps as training infers it),
/// so the answer can carry a timestamp per step. Histories given with timestamps are put in time order with their gaps as
/// missing values, as in training. A request with no timing and a version without one costs a scan of the series for the
/// two fields.
/// </summary>
/// <param name="Frequency">The step.</param>
/// <param name="Ends">Per request series, the time of its last history value, or null when unknown.</param>
/// <param name="MonthDays">Per request series, the day of the month a monthly (quarterly, yearly) one steps on (<see cref="TimeFrequency.MonthDay(DateTimeOffset, DateTimeOffset)"/>; <see cref="TimeFrequency.LastDay"/>: month ends; 0: its last time's).</param>
public sealed record ForecastTiming(TimeFrequency Frequency, DateTimeOffset?[] Ends, int[] MonthDays)
{
    /// <summary>The times of the <paramref name="steps"/> steps after series <paramref name="i"/>'s history, or null when unknown.</summary>
    public string[]? StepTimes(int i, int steps)
    {
        if (Ends[i] is not { } end) return null;
        var times = new string[steps];
        for (var k = 0; k < steps; k++) times[k] = Timestamps.Format(Frequency.Advance(end, k + 1, MonthDays[i]));
        return times;
    }

    /// <summary>The time of value <paramref name="index"/> of series <paramref name="i"/>'s history of <paramref name="length"/> values, or null when unknown.</summary>
    public string? TimeOf(int i, int index, int length) =>
        Ends[i] is { } end && Frequency.TryAdvance(end, index - (length - 1), MonthDays[i]) is { } time ? Timestamps.Format(time) : null;

    /// <summary>
    /// The timing of <paramref name="request"/> against a version trained with <paramref name="training"/>, or null when
    /// no series can be dated; <paramref name="request"/> comes back with histories given timestamps re-laid in time order.
    /// Problems go to <paramref name="errors"/> under their fields.
    /// </summary>
    public static ForecastTiming? Resolve(ref ForecastRequest request, TrainingSettings? training, int horizon, ForecastOptions limits, ValidationErrors errors)
    {
        var series = request.Series;
        var trained = TimeFrequency.Parse(training?.Frequency);
        var dated = false;
        if (series is not null)
            foreach (var s in series)
                dated |= s is not null && (s.Start is not null || s.Timestamps is not null);
        if (!dated && request.Frequency is null && training?.Timing is null) return null;

        var frequency = trained;
        if (request.Frequency is { } text)
        {
            var asked = TimeFrequency.Parse(text);
            if (asked is null) errors.Add("frequency", $"Unknown frequency '{text}': use {TimeFrequency.Accepted}.");
            else if (trained is { } t && t != asked)
                errors.Add("frequency", $"This version was trained on data sampled every {t} ({t.ToIso()}); got {asked.Value.ToIso()}.");
            else frequency = asked;
        }
        if (series is null || request.Frequency is not null && frequency is null) return null;

        // Without a frequency (the request's or the version's) the timestamps tell the step, as they do in training: a
        // version trained on plain values knows no time, so there is nothing for the inferred step to contradict. A start
        // still needs a frequency given, as in training; all the request's timestamps must step alike (one step per answer).
        if (frequency is null && TimeGrid.DailyBesideBusiness(series.Select(s => s?.Timestamps)) is { } daily) frequency = daily;
        var step = frequency;
        string? inferredFrom = null;
        var ends = new DateTimeOffset?[series.Count];
        var monthDays = new int[series.Count];
        var byId = (training?.Timing ?? []).Where(t => t.Id is not null).GroupBy(t => t.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        ForecastSeriesInput[]? relaid = null;
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s?.History is not { } history) continue;
            if (s.Start is not null && s.Timestamps is not null) { errors.Add($"series[{i}].start", "Give start or timestamps, not both."); continue; }
            if (s.Start is { } startText)
            {
                if (!Timestamps.TryParse(startText, out var start)) errors.Add($"series[{i}].start", Timestamps.Refusal(startText));
                else if (frequency is not { } given)
                    errors.Add($"series[{i}].start", $"This version does not know its frequency: give the request's frequency ({TimeFrequency.Accepted}) to date the values after a start.");
                else if (given.StartProblem(start) is { } weekend) errors.Add($"series[{i}].start", weekend);
                else if (given.TryAdvance(start, Math.Max(0, history.Length - 1)) is { } lastTime)
                    (ends[i], monthDays[i]) = (lastTime, TimeFrequency.MonthDayFrom(start));
                else errors.Add($"series[{i}].start", $"{history.Length} values every {given} from {Timestamps.Format(start)} would pass the year 9999.");
            }
            else if (s.Timestamps is { } texts)
            {
                var grid = Lay(texts, i, history.Length, frequency, limits, errors);
                if (grid is null) continue;
                if (step is null)
                {
                    step = grid.Frequency;
                    inferredFrom = $"series[{i}]";
                }
                else if (frequency is null && grid.Frequency != step)
                {
                    errors.Add($"series[{i}].timestamps", $"The timestamps step by {grid.Frequency}, but {inferredFrom}'s by {step}: one request has one frequency; give frequency to lay both on it.");
                    continue;
                }
                (ends[i], monthDays[i]) = (grid.End, grid.MonthDay);
                if (grid.Slots.Count != history.Length || grid.Slots.Where((k, j) => k != j).Any())
                    (relaid ??= [.. series])[i] = Relay(s, grid.Slots);
            }
            else if (frequency is { } trainedStep && s.Id is { } id && byId.TryGetValue(id, out var timing))
            {
                // Named like a training series, a history ends where that series ended; one longer than that series holds
                // values that came after it (its start is the series' start), so it ends as many steps after.
                monthDays[i] = timing.MonthDay > 0 ? timing.MonthDay : TimeFrequency.MonthDay(timing.Start, timing.End);
                var trainedLength = trainedStep.StepsFrom(timing.Start, timing.End, monthDays[i]) + 1;
                // Where the version knows the series' last observed value (stored since 2026-12-06), the history's last
                // observed value is that one and its missing values after it come after (a CSV column's empty last cells,
                // sent or not, however many), unless it observed more values than the series: those came after it.
                int missing = timing.TrailingMissing is null ? 0 : HistoryLength.TrailingMissing(history);
                // Where the version knows the series' leading missing values (since 2026-12-06), they and the history's came
                // before their first values (a column of a wide table it joined late): the observed values are compared and
                // dated from the series' first (309 such nulls before 56 values had dated their forecast ten months late).
                // Versions stored before compare and date the whole history.
                int before = timing.LeadingMissing ?? 0;
                int leading = timing.LeadingMissing is null ? 0 : HistoryLength.LeadingMissing(history);
                int observed = history.Length - missing - leading;
                ends[i] = observed > trainedLength - before ? trainedStep.TryAdvance(timing.Start, before + observed + missing - 1, monthDays[i])
                    : trainedStep.TryAdvance(timing.End, missing, monthDays[i]);
            }
            if (ends[i] is { } last && step!.Value.TryAdvance(last, horizon, monthDays[i]) is null)
            {
                errors.Add(s.Start is not null ? $"series[{i}].start" : s.Timestamps is not null ? $"series[{i}].timestamps" : $"series[{i}].id", $"The forecast's {horizon} steps of {step} after {Timestamps.Format(last)} would pass the year 9999.");
                ends[i] = null;
            }
        }
        if (relaid is not null) request = request with { Series = relaid };
        return step is { } known && ends.Any(e => e is not null) ? new ForecastTiming(known, ends, monthDays) : null;
    }

    /// <summary>The history's timestamps on the grid of <paramref name="step"/>, or of the step they show when it is null.</summary>
    private static TimeGrid? Lay(IReadOnlyList<string> texts, int i, int n, TimeFrequency? step, ForecastOptions limits, ValidationErrors errors)
    {
        var field = $"series[{i}].timestamps";
        if (texts.Count != n)
        {
            errors.Add(field, $"Has {texts.Count} timestamps; history has {n}: give one timestamp per history value.");
            return null;
        }
        if (Timestamps.TryParseAll(texts, field, errors) is not { Length: > 0 } times) return null;
        var grid = TimeGrid.Build(times, step, limits.MaxHistoryLength, out var problem);
        if (problem is { } p) errors.Add($"{field}[{p.Index}]", p.Message);
        return grid;
    }

    /// <summary>The history (and covariates' histories) in slot order, missing (NaN, null) where a slot has no value.</summary>
    private static ForecastSeriesInput Relay(ForecastSeriesInput s, IReadOnlyList<int> slots)
    {
        var history = new float[slots.Count];
        for (var k = 0; k < slots.Count; k++) history[k] = slots[k] < 0 ? float.NaN : s.History![slots[k]];
        IReadOnlyList<double?> Lay(IReadOnlyList<double?> values) => values.Count != s.History!.Length ? values // misaligned: named by the covariate checks
            : [.. slots.Select(k => k < 0 ? null : values[k])];
        return s with { History = history, Covariates = s.Covariates?.ToDictionary(kv => kv.Key, kv => kv.Value is null ? kv.Value! : Lay(kv.Value), StringComparer.Ordinal) };
    }
}

using LstmService.Infrastructure;

namespace LstmService.Streams;

/// <summary>
/// An append's <c>timestamps</c> on a dated stream: each value placed on the stream's steps after its last value, the steps
/// they skip filled with missing values (in the covariates too), as a forecast's history has its gaps.
/// </summary>
public static class StreamAppendTimes
{
    /// <summary>
    /// The request with its values (and covariate values) laid on consecutive steps from the stream's next one, or null with
    /// the problems under timestamps[i] (and covariates.name); the request as it is when it gives no timestamps.
    /// <paramref name="placedAt"/>: each of the request's values' index among the placed ones (null without timestamps).
    /// </summary>
    public static AppendObservationsRequest? Place(AppendObservationsRequest request, StreamTiming? timing, int length, int maxValues, ValidationErrors errors,
        out int[]? placedAt)
    {
        placedAt = null;
        if (request.Timestamps is not { } texts) return request;
        var values = request.Values!;
        if (timing is null || TimeFrequency.Parse(timing.Frequency) is not { } step)
        {
            errors.Add("timestamps", "This stream has no dates (open it with start, or on a dated version's training series id): append its next values without timestamps.");
            return null;
        }
        // The covariates' lengths were checked against the values before (StreamInputs.Covariates), so they spread alike.
        if (texts.Count != values.Count) errors.Add("timestamps", $"One per value: {values.Count} values, {texts.Count} timestamps.");
        if (!errors.IsValid || Timestamps.TryParseAll(texts, "timestamps", errors) is not { } times) return null;

        var next = timing.StepTimes(length, 1)?[0];
        var positions = new long[times.Length];
        for (var j = 0; j < times.Length; j++)
        {
            var field = $"timestamps[{j}]";
            // The same instant in another offset (a browser's toISOString() in UTC) is the same step: calendar steps compare
            // clock times, so the time is first read in the stream's own offset. A time without one (2025-01, 2025-01-01) is
            // the stream's clock: read as UTC, a month of a stream at +02:00 fell two hours after its step and was refused.
            bool offset = Timestamps.HasOffset(texts[j]);
            var steps = step.StepsFrom(timing.Time, offset ? times[j].ToOffset(timing.Time.Offset) : OnStreamClock(texts[j], times[j], step, timing), timing.MonthDay);
            // Failing that, an offset a daylight-saving hour from the stream's is read on its own clock: local midnights
            // whose offset changes (+01:00, then +02:00) are whole days or months apart, as a forecast's history reads them,
            // and in the stream's offset they fell an hour before their step and were refused (a QA pass).
            if (steps is null && offset && Math.Abs((times[j].Offset - timing.Time.Offset).Ticks) <= TimeSpan.TicksPerHour)
                steps = step.StepsFrom(timing.Time, times[j], timing.MonthDay);
            if (steps is null)
                errors.AddElement(field, $"'{texts[j]}' is not one of the stream's times (every {step} ({step.ToIso()}); the next is {next}).", "timestamps");
            else if ((positions[j] = timing.Index + steps.Value) < 0)
                errors.AddElement(field, $"'{texts[j]}' is before the stream's first value; the next value's time is {next}.", "timestamps");
            else if (positions[j] < length)
                errors.AddElement(field, $"'{texts[j]}' is the stream's value {positions[j]}, which it already holds ({length} values); the next value's time is {next}.", "timestamps");
            else if (j > 0 && positions[j] <= positions[j - 1])
                errors.AddElement(field, $"'{texts[j]}' must be after timestamps[{j - 1}]: oldest first, each time once.", "timestamps");
            if (!errors.IsValid) return null;
        }
        long count = positions[^1] - length + 1;
        if (count > maxValues)
        {
            errors.AddElement($"timestamps[{positions.Length - 1}]", $"With the steps they skip these values make {count}; at most {maxValues} per append (Streams:MaxValuesPerAppend).", "timestamps");
            return null;
        }
        placedAt = Array.ConvertAll(positions, p => (int)(p - length));
        List<double?> Spread(IReadOnlyList<double?> source)
        {
            var placed = new List<double?>(new double?[count]);
            for (var j = 0; j < positions.Length; j++) placed[(int)(positions[j] - length)] = source[j];
            return placed;
        }
        return request with
        {
            Values = Spread(values),
            Covariates = request.Covariates?.ToDictionary(c => c.Key, c => (IReadOnlyList<double?>)Spread(c.Value!)),
        };
    }

    /// <summary>
    /// A time stated without an offset, on the stream's clock. A period (2023-07, 2023-Q3, 2023) on a calendar stream is
    /// the one step of the stream within it, and a date (2023-07-15) on a stream of days or longer steps is that day at the
    /// stream's time of day: a monthly stream at 05:00 on the 15th had refused "2023-07" as no step of its own.
    /// </summary>
    static DateTimeOffset OnStreamClock(string text, DateTimeOffset parsed, TimeFrequency step, StreamTiming timing)
    {
        var clock = new DateTimeOffset(parsed.DateTime, timing.Time.Offset);
        if (step.IsCalendar && Timestamps.PeriodMonths(text) is > 0 and var months)
        {
            int first = TimeFrequency.MonthIndex(clock), from = first - TimeFrequency.MonthIndex(timing.Time);
            // Every step from the last one before the period to the first one after it: a year holds four quarterly steps.
            long k = (long)Math.Floor(from / (double)step.Months);
            var inside = Enumerable.Range(0, months / step.Months + 2).Select(n => step.TryAdvance(timing.Time, k + n, timing.MonthDay))
                .Where(t => t is { } x && TimeFrequency.MonthIndex(x) >= first && TimeFrequency.MonthIndex(x) < first + months).ToList();
            // A period holding several steps (a quarter of a monthly stream) names none of them: it is refused as it is.
            return inside.Count == 1 && step.StepsFrom(timing.Time, clock, timing.MonthDay) is null ? inside[0]!.Value : clock;
        }
        return step.Unit is not (TimeUnit.Minute or TimeUnit.Hour) && Timestamps.IsDate(text) ? new DateTimeOffset(parsed.Date + timing.Time.TimeOfDay, timing.Time.Offset) : clock;
    }
}

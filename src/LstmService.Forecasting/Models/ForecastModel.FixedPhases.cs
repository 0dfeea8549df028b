using System.Runtime.InteropServices;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Streaming;

namespace LstmService.Forecasting.Models;

// Phases of the season that were 0 in every recent period (a shop's closed Sundays, a solar panel's nights).
public sealed partial class ForecastModel
{
    /// <summary>Periods of the reported season a phase must have been 0 in (fewer where the window holds fewer, two at least).</summary>
    internal const int FixedPhasePeriods = 3;

    /// <summary>
    /// The share of the other phases' values in those periods that may be 0 too: an intermittent series' zeros fall on every
    /// phase, and three Julys without an order are no closed July.
    /// </summary>
    internal const double FixedValueElsewhere = 0.25;

    /// <summary>
    /// Per step of the horizon, 0 where its phase of the reported season was 0 in each of the last <see cref="FixedPhasePeriods"/>
    /// periods of <paramref name="settled"/>, NaN elsewhere; null where no phase was, where every phase was (a flat stretch,
    /// read as the members read it), where zero lies within the range of the other phases' values or is common among them,
    /// or where the model reads a transformed series or covariate levels. Zero alone: a closed day's sales, a solar panel's
    /// night. Equal values of any level two periods apart had fixed two Decembers of air passengers (0.398 -> 0.528) and an
    /// hour of electricity demand's two equal night minima (its coverage 0.85 -> 0.58). Read from the last input window's
    /// values alone, so a stream and a one-off forecast agree.
    /// </summary>
    internal float[]? FixedSteps(SeriesState settled, int steps)
    {
        int m = SeasonLength, keep = Math.Max(InputWindow, 2);
        if (m < 2 || CovariateLevels is not null || Transform != SeriesTransform.None) return null;
        int periods = Math.Min(FixedPhasePeriods, keep / m);
        if (periods < 2 || settled.Tail.Count < periods * m) return null;
        var tail = CollectionsMarshal.AsSpan(settled.Tail)[^(periods * m)..];
        Span<float> held = m <= 512 ? stackalloc float[m] : new float[m];
        int fixedPhases = 0;
        for (int phase = 0; phase < m; phase++)
        {
            float value = tail[phase];
            bool same = value == 0;
            for (int k = 1; k < periods && same; k++) same = tail[k * m + phase] == value;
            held[phase] = same ? value : float.NaN;
            if (same) fixedPhases++;
        }
        if (fixedPhases == 0 || fixedPhases == m) return null;
        // A value held at the edge of what the other phases held (a closed day's zero below every open day's sales): within
        // their range, two equal values a period apart are a coincidence of whole numbers (two Decembers of air passengers).
        float lowest = float.PositiveInfinity, highest = float.NegativeInfinity;
        for (int phase = 0; phase < m; phase++)
            if (float.IsNaN(held[phase]))
                for (int k = 0; k < periods; k++) { lowest = MathF.Min(lowest, tail[k * m + phase]); highest = MathF.Max(highest, tail[k * m + phase]); }
        for (int phase = 0; phase < m; phase++)
            if (held[phase] > lowest && held[phase] < highest) { held[phase] = float.NaN; fixedPhases--; }
        if (fixedPhases == 0) return null;
        int elsewhere = 0;
        for (int phase = 0; phase < m; phase++)
        {
            if (!float.IsNaN(held[phase])) continue;
            for (int k = 0; k < periods; k++)
                if (held.Contains(tail[k * m + phase])) elsewhere++;
        }
        if (elsewhere > FixedValueElsewhere * (m - fixedPhases) * periods) return null;
        // The tail's first value is a period's phase 0, and step t lies a whole number of periods after phase t mod m.
        var result = new float[steps];
        for (int t = 0; t < steps; t++) result[t] = held[t % m];
        return result;
    }

    /// <summary>
    /// <paramref name="forecast"/> with each step of a fixed phase (<see cref="FixedSteps"/>) at that value, its quantiles
    /// too: a shop closed on Sundays in every recent week had been forecast 9-13 there, its 0.9 quantile 51-102.
    /// </summary>
    SeriesForecast WithFixedSteps(SeriesForecast forecast, float[] fixedSteps, bool clampAtZero)
    {
        for (int t = 0; t < forecast.Mean.Length; t++)
        {
            if (float.IsNaN(fixedSteps[t])) continue;
            float value = Output(fixedSteps[t], 0f, clampAtZero);
            forecast.Mean[t] = value;
            foreach (var band in forecast.Quantiles.Values) band[t] = value;
        }
        return forecast;
    }
}

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
    /// How many phases may be 0 in every one of those periods by chance, at the other phases' share of zeros (m·rᵖ for m
    /// phases, a share r and p periods), for the zeros to count as closed phases: an intermittent series' zeros fall on
    /// every phase, and a weekday's two zeros in a row where a fifth of all days are zero are no closed day (measured, of 200
    /// such histories with a window of two weeks: 59 had a day closed without this bound, 16 at 0.1, 6 at this).
    /// </summary>
    internal const double FixedByChance = 0.02;

    /// <summary>
    /// Per step of the horizon, 0 where its phase of the reported season was 0 in each of the last <see cref="FixedPhasePeriods"/>
    /// periods of <paramref name="settled"/>, NaN elsewhere; null where no phase was, where every phase was (a flat stretch,
    /// read as the members read it), where the other phases' zeros make that likely by chance (<see cref="FixedByChance"/>),
    /// where those periods reach back before the history's first observed value, or where the model reads a transformed
    /// series or covariates (a known holiday or opening may reopen a day). Zero alone, at the edge of what the other phases
    /// held: a closed day's sales, a solar panel's night. Equal values of any level two periods apart had fixed two
    /// Decembers of air passengers (0.398 -> 0.528) and an hour of electricity demand's two equal night minima (its coverage
    /// 0.85 -> 0.58). Read from the last input window's values alone, so a stream and a one-off forecast agree.
    /// </summary>
    internal float[]? FixedSteps(SeriesState settled, int steps)
    {
        int m = SeasonLength, periods = FixedPeriods();
        if (periods < 2 || settled.Tail.Count < periods * m || settled.Length - settled.Lead < periods * m) return null;
        if (ClosedPhases(CollectionsMarshal.AsSpan(settled.Tail)[^(periods * m)..], m, periods) is not { } closed) return null;
        // The tail's first value is a period's phase 0, and step t lies a whole number of periods after phase t mod m.
        var result = new float[steps];
        for (int t = 0; t < steps; t++) result[t] = closed[t % m] ? 0f : float.NaN;
        return result;
    }

    /// <summary>
    /// The phases a forecast from <paramref name="origin"/> of the training series <paramref name="filled"/> fixes at 0, by the
    /// rule of <see cref="FixedSteps"/> (step t's phase is t mod m), or null where it fixes none: the calibration leaves their
    /// residuals out, which, all near 0, would set the open phases' width (five closed days of seven had left the open days'
    /// 0.1-0.9 intervals at 0.49 coverage).
    /// </summary>
    internal bool[]? FixedPhasesAt(ReadOnlySpan<float> filled, int origin)
    {
        int m = SeasonLength, periods = FixedPeriods();
        return periods < 2 || origin < periods * m ? null : ClosedPhases(filled[(origin - periods * m)..origin], m, periods);
    }

    /// <summary>The periods of the season <see cref="FixedSteps"/> reads (those the input window holds, at most <see cref="FixedPhasePeriods"/>); 0 where it fixes nothing.</summary>
    int FixedPeriods() =>
        SeasonLength < 2 || _covariates.Length > 0 || Transform != SeriesTransform.None ? 0 : Math.Min(FixedPhasePeriods, Math.Max(InputWindow, 2) / SeasonLength);

    /// <summary>
    /// The phases of season <paramref name="m"/> that were 0 in each of the <paramref name="periods"/> periods of
    /// <paramref name="tail"/> (whose first value is phase 0), or null where none or every one was, where the other phases
    /// take both signs, or where their own zeros make so many zero phases likely by chance.
    /// </summary>
    internal static bool[]? ClosedPhases(ReadOnlySpan<float> tail, int m, int periods)
    {
        // Most series hold no zero at all: no phase is closed, and nothing need be allocated per calibration window.
        if (!tail[..m].Contains(0f)) return null;
        var closed = new bool[m];
        int fixedPhases = 0;
        for (int phase = 0; phase < m; phase++)
        {
            bool zero = true;
            for (int k = 0; k < periods && zero; k++) zero = tail[k * m + phase] == 0;
            closed[phase] = zero;
            if (zero) fixedPhases++;
        }
        if (fixedPhases == 0 || fixedPhases == m) return null;
        // Zero at the edge of the other phases' values (below every open day's sales); and those phases' own zeros rare
        // enough that a phase of zeros in every period is no chance.
        int others = 0, zeros = 0;
        bool below = true, above = true;
        for (int phase = 0; phase < m; phase++)
        {
            if (closed[phase]) continue;
            for (int k = 0; k < periods; k++)
            {
                float value = tail[k * m + phase];
                others++;
                if (value == 0) zeros++;
                below &= value >= 0;
                above &= value <= 0;
            }
        }
        return !below && !above || m * Math.Pow((double)zeros / others, periods) > FixedByChance || CountsZeroByChance(tail, closed, periods, fixedPhases)
            ? null : closed;
    }

    /// <summary>
    /// Whether <paramref name="tail"/> holds counts (its nonzero values mostly whole numbers: a fill or a gap's straight line
    /// among them may not be) so low that its <paramref name="fixedPhases"/> phases of zeros are likely by chance: a count of
    /// mean μ is 0 in p periods with probability e^(-μp) (Poisson), so at the quietest phase not taken as closed as many
    /// as m·e^(-μp) phases would be by chance, and seeing <paramref name="fixedPhases"/> or more must be rarer than
    /// <see cref="FixedByChance"/>. The other phases' own zeros can be too few to tell, in two periods: a QA pass's daily
    /// returns at rates 0.3-3.0 had a weekday forecast 0 with no width at 2% of the steps, where the rate was 0.3-1.0. A
    /// solar panel's dozen night hours, counted in whole watts with a dawn hour of one or two, are no chance (a review).
    /// </summary>
    static bool CountsZeroByChance(ReadOnlySpan<float> tail, ReadOnlySpan<bool> closed, int periods, int fixedPhases)
    {
        int nonzero = 0, whole = 0;
        foreach (var value in tail)
            if (value != 0 && !float.IsNaN(value)) { nonzero++; if (value == MathF.Round(value)) whole++; }
        if (nonzero == 0 || whole < 0.75 * nonzero) return false;
        int m = closed.Length;
        double quietest = double.PositiveInfinity;
        for (int phase = 0; phase < m; phase++)
        {
            if (closed[phase]) continue;
            double sum = 0;
            for (int k = 0; k < periods; k++) sum += Math.Abs(tail[k * m + phase]);
            // Shrunk toward zero by a period of it: two periods of a rate below one tell little of it.
            quietest = Math.Min(quietest, sum / (periods + 1));
        }
        // P(N >= fixedPhases) for N ~ Poisson(λ), λ = m·e^(-μp): one less the terms below it.
        double expected = m * Math.Exp(-quietest * periods), term = Math.Exp(-expected), below = 0;
        for (int k = 0; k < fixedPhases; k++) { below += term; term *= expected / (k + 1); }
        return 1 - below > FixedByChance;
    }

    /// <summary>
    /// <paramref name="forecast"/> with each step of a fixed phase (<see cref="FixedSteps"/>) at that value, its quantiles
    /// too: a shop closed on weekends in every recent week had been forecast 1-13 there, its 0.9 quantile 78-102.
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

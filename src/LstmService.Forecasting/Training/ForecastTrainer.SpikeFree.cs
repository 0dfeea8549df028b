using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

// What training measures without the series' glitches, so that a forecast, which reads a glitch as the members expected it
// (ForecastModel.Judged), meets the units it was trained in.
public static partial class ForecastTrainer
{
    /// <summary>
    /// Mean absolute steps of its series beyond which a spike is replaced in what the highway is fitted on as well: a value
    /// that far off is a lever on its least squares through every window that reads it (a typo of 100 times the level, in
    /// a unit measured without it, is a thousand steps off). Nearer spikes stay: a weekly series' events that do not recur
    /// at exactly 52 weeks are among them, and with every spike replaced W349 went from 0.619 to 0.691 and sunspot.month from
    /// 0.578 to 0.613 (measured on 2026-12-05 with the `suite` command).
    /// </summary>
    internal const double HighwaySpikeSteps = 20;

    /// <summary>
    /// Whether the model trained tells a glitch in a later history from a change and reads it as the members expected it
    /// (<see cref="Models.ForecastModel.Judged"/>): one series, classical members corrected by the network, window-level scaling.
    /// Its window-level unit is then measured without the series' spikes, in training as in forecasting.
    /// </summary>
    internal static bool TellsGlitches(SeriesSet set, TrainingOptions options) =>
        set.Count == 1 && options.Scaling == ScalingMode.WindowLevel && options.Statistics && options.Strategy == Models.ForecastStrategy.Direct
        && options.CorrectStatistics;

    /// <summary>
    /// Scaling statistics per series (<see cref="SeriesSet.Statistics"/>), or of <paramref name="spikeFree"/> (each series
    /// without its spikes, <see cref="FittedParts"/>, for a model that tells glitches): the mean absolute step a forecast's history is measured in counts a glitch as
    /// the value it is read as, so training's counts none either. Counted as given, three glitches of 5,000 among 96 values
    /// about 50 had made the unit 60 times the series' usual step, and a history's glitch (or none) moved the forecast through
    /// the highway's intercept and the intervals' width in that unit: 15-22 where the series' level is 50.
    /// </summary>
    internal static (float Center, float Scale)[] ScalingStatistics(SeriesSet set, ScalingMode scaling, IReadOnlyList<double[]>? spikeFree, bool heldOut) =>
        spikeFree is null
            ? set.Statistics(scaling, heldOut)
            : spikeFree.Select((p, i) => SpikeFreeUnit(p, set.Filled[i].AsSpan(0, p.Length), scaling)).ToArray();

    /// <summary>
    /// The statistics of <paramref name="cleaned"/> (a series without its spikes), the unit floored as that of the series
    /// <paramref name="given"/> (<see cref="SeriesMath.ScaleFloor"/>, relative to its largest value): two values of ±1.5e38
    /// in a sine were otherwise 1e39 units off, beyond a float, and training diverged.
    /// </summary>
    internal static (float Center, float Scale) SpikeFreeUnit(double[] cleaned, ReadOnlySpan<float> given, ScalingMode scaling)
    {
        var (center, scale) = SeriesMath.Statistics(Array.ConvertAll(cleaned, v => (float)v), scaling);
        float magnitude = 0;
        foreach (var v in given) magnitude = Math.Max(magnitude, Math.Abs(v));
        return (center, Math.Max(scale, (float)SeriesMath.ScaleFloor(magnitude)));
    }

    /// <summary>
    /// What the highway is fitted on: <see cref="SeriesSet.Parts"/>, with <paramref name="spikeFree"/> (the series without their
    /// spikes, for a model that tells glitches) each spike farther than <see cref="HighwaySpikeSteps"/> of its series' unit
    /// replaced (<see cref="WithoutFarSpikes"/>).
    /// </summary>
    internal static List<SeriesPart> HighwayParts(SeriesSet set, (float Center, float Scale)[] stats, bool heldOut, IReadOnlyList<double[]>? spikeFree)
    {
        var parts = set.Parts(stats, heldOut);
        return spikeFree is null ? parts : parts.Select((p, i) => WithoutFarSpikes(p, spikeFree[i])).ToList();
    }

    /// <summary>
    /// <paramref name="part"/> with each value of its first <paramref name="cleaned"/>.Length that lies farther than
    /// <see cref="HighwaySpikeSteps"/> units from its <paramref name="cleaned"/> counterpart replaced by it (a missing value stays missing).
    /// </summary>
    internal static SeriesPart WithoutFarSpikes(SeriesPart part, double[] cleaned)
    {
        double reach = HighwaySpikeSteps * part.Scale;
        float[]? raw = null, filled = null;
        for (int t = 0; t < cleaned.Length; t++)
        {
            if (!(Math.Abs(cleaned[t] - part.Filled[t]) > reach)) continue;
            raw ??= part.Raw.ToArray();
            filled ??= part.Filled.ToArray();
            filled[t] = (float)cleaned[t];
            if (!float.IsNaN(raw[t])) raw[t] = filled[t];
        }
        return filled is null ? part : part with { Raw = raw!, Filled = filled };
    }
}

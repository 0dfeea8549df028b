using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// A short series' forecasters scored out of sample from rolling origins: at each origin the classical members and the
/// highway are fitted again on the history before it (the smoothing's shape, theta's and the autoregression's lags chosen
/// anew, the highway's orders kept) and forecast the horizon after it. A short series has too few validation windows to
/// weigh the forecasters on, and over its training windows the members are in sample: an autoregression or highway fitted
/// on 40 values looks best there and worst after it (<see cref="StatisticsMixer"/> weighs them on these errors instead).
/// What stays chosen on the whole training part (the seasons, the transform, the window and the highway's orders, the
/// latter on the validation part too) is not chosen again per origin.
/// </summary>
internal sealed class RollingOriginForecasts
{
    /// <summary>Origins scored per series at most (each costs one fit of every member).</summary>
    public const int MaxOrigins = 24;

    /// <summary>Origins below which a series is not scored (nor refitted); <see cref="Collect"/> returns null when no series has as many.</summary>
    public const int MinOrigins = 6;

    internal RollingOriginForecasts(float[] members, float[] targets, int rows, int memberCount)
    {
        Members = members; Targets = targets; Rows = rows; MemberCount = memberCount;
    }

    /// <summary>Each row's member forecasts, [Rows, MemberCount, horizon], encoded in the series' own unit (the trainer's
    /// scale) around the value before the origin, so their errors compare with the trainer's windows'.</summary>
    public float[] Members { get; }
    /// <summary>Each row's targets, [Rows, horizon], encoded alike (NaN where missing).</summary>
    public float[] Targets { get; }
    /// <summary>Origins scored, over every series.</summary>
    public int Rows { get; }
    /// <summary>The classical members, and the highway when there is one.</summary>
    public int MemberCount { get; }

    /// <summary>
    /// Forecasts of the horizon from origins evenly spaced from the middle of each series (and at least two horizons past
    /// the window) to its last full horizon, as many per series as the shortest scored one allows; a series with fewer than
    /// <see cref="MinOrigins"/> of them is left out (of the refits too), and null is returned when every one is (the mixer
    /// then weighs by every window's errors). Each history is the series cut at the origin and gap-filled from its own
    /// values, as a forecast from it would be; an origin whose window is mostly missing, which the trainer never forecasts
    /// from, is not scored. The statistics' covariate effect, when given, moves every member's forecast as in training.
    /// With <paramref name="spikeFree"/> (<see cref="ForecastTrainer.TellsGlitches"/>) each history is scaled, and the highway
    /// fitted, without its spikes, as the trainer does.
    /// </summary>
    public static RollingOriginForecasts? Collect(SeriesSet set, WindowedData data, IReadOnlyList<int> seasons, int[] orders,
        CovariateEffect? effect = null, bool spikeFree = false, CancellationToken cancellationToken = default)
    {
        int s = data.Horizon, w = data.Window, count = set.Count;
        var scaling = data.Scaling;
        var first = new int[count];
        var last = new int[count];
        int origins = MaxOrigins;
        // A series too short for MinOrigins origins is left out of the refits and the scores alike: at full length it would
        // show the others' fits what followed their origins.
        var included = new List<int>(count);
        for (int i = 0; i < count; i++)
        {
            int n = set.Raw[i].Length;
            first[i] = Math.Max((n + 1) / 2, w + 2 * s);
            last[i] = n - s;
            if (last[i] - first[i] + 1 < MinOrigins) continue;
            included.Add(i);
            origins = Math.Min(origins, last[i] - first[i] + 1);
        }
        if (included.Count == 0) return null;

        bool withHighway = orders.Length > 0, relative = scaling == ScalingMode.WindowLevel;
        bool covariates = effect is not null && !data.Layout.Plain;
        int classical = StatisticalEnsemble.MemberCount, members = classical + (withHighway ? 1 : 0);
        var encodedMembers = new List<float>();
        var targets = new List<float>();
        int rows = 0;
        var ends = new int[count];
        var filled = new float[count][];
        var output = new double[classical * s];
        var row = new float[members * s];
        var x = new float[w];
        var features = covariates ? new float[data.Layout.RowLength] : [];
        for (int k = 0; k < origins; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (int i in included)
            {
                ends[i] = first[i] + (int)Math.Round((double)k * (last[i] - first[i]) / (origins - 1));
                filled[i] = new float[ends[i]];
                SeriesMath.FillGaps(set.Raw[i].AsSpan(0, ends[i]), filled[i]);
                // Along the season the trainer filled the series along, if it did (not for covariates, nor where the filled series
                // showed another season), as the final members are fitted on them.
                if (set.GapsFilledAlong > 1) SeasonalGapFill.Fill(set.Raw[i].AsSpan(0, ends[i]), filled[i], set.GapsFilledAlong, ends[i]);
            }
            var histories = included.Select(i => Array.ConvertAll(filled[i], v => (double)v)).ToList();
            var cleaned = histories.Select(y => ForecastTrainer.WithoutSpikes(y, set, seasons)).ToList();
            // Scaled and the highway fitted as the trainer does (ForecastTrainer.ScalingStatistics, HighwayParts).
            var stats = new (float Center, float Scale)[count];
            for (int h = 0; h < included.Count; h++)
                stats[included[h]] = spikeFree ? ForecastTrainer.SpikeFreeUnit(cleaned[h], filled[included[h]], scaling) : SeriesMath.Statistics(filled[included[h]], scaling);
            ComposedHighway? highway = null;
            if (withHighway)
            {
                var parts = included.Select((i, h) =>
                {
                    var part = new SeriesPart(set.Raw[i][..ends[i]], filled[i], 0, ends[i], stats[i].Center, stats[i].Scale);
                    return spikeFree ? ForecastTrainer.WithoutFarSpikes(part, cleaned[h]) : part;
                }).ToList();
                var fitted = LinearHighway.FitOrdersRobust(parts, orders, relative).OfType<float[]>().ToList();
                if (fitted.Count == 0) continue; // too few windows before this origin for the highway
                highway = new ComposedHighway(new LinearHighway(relative, fitted), w, s);
            }
            // Fitted as the trainer fits the final members (without spikes), forecasting from the history as given.
            var statistics = StatisticalEnsemble.Fit(cleaned, seasons, cancellationToken, ForecastTrainer.StepsRelative(set));
            for (int h = 0; h < included.Count; h++)
            {
                int i = included[h];
                if (!set.InputObserved(i, ends[i], w)) continue;
                statistics.Forecast(histories[h], s, output);
                double level = filled[i][^1], unit = data.Stats[i].Scale;
                for (int j = 0; j < output.Length; j++) row[j] = (float)((output[j] - level) / unit);
                if (highway is not null)
                {
                    var (center, scale) = ForecastModel.EncodeWindow(filled[i], ends[i], w, scaling, stats[i], x);
                    highway.Forecast(x, row.AsSpan(classical * s, s));
                    // Decoded in double: a level far from zero would cancel a float's digits.
                    for (int t = 0; t < s; t++) row[classical * s + t] = (float)(((double)center - level + (double)scale * row[classical * s + t]) / unit);
                }
                if (covariates)
                {
                    ForecastModel.EncodeWindow(filled[i], ends[i], w, scaling, data.Stats[i], x);
                    data.Layout.Encode(x, data.Covariates[i], data.CovariateStats[i], ends[i], features);
                    ForecastModel.AddCovariateEffect(effect!, features, w, data.Layout.Features, row, s);
                }
                encodedMembers.AddRange(row);
                for (int t = 0; t < s; t++) targets.Add((float)((set.Raw[i][ends[i] + t] - level) / unit));
                rows++;
            }
        }
        return rows == 0 ? null : new RollingOriginForecasts([.. encodedMembers], [.. targets], rows, members);
    }
}

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Series;

/// <summary>The input series gap-filled and split by time (the split does not depend on the window).</summary>
internal sealed class SeriesSet
{
    public required float[][] Raw { get; init; }
    public required float[][] Filled { get; init; }
    /// <summary>First index of each series' validation part (= its length when there is none).</summary>
    public required int[] ValidationStart { get; init; }
    public required int MissingValues { get; init; }
    /// <summary>[series][k]: missing values among the first k (length + 1 entries per series).</summary>
    public required int[][] MissingBefore { get; init; }
    /// <summary>Covariate names (ordinal order), the same for every series.</summary>
    public string[] CovariateNames { get; init; } = [];
    /// <summary>[series][covariate] values as given (NaN = missing) and gap-filled.</summary>
    public float[][][] CovariatesRaw { get; init; } = [];
    public float[][][] CovariatesFilled { get; init; } = [];
    /// <summary>The values before <see cref="Transform"/> (null when there is none), as given and gap-filled.</summary>
    public float[][]? Original { get; init; }
    public float[][]? OriginalFilled { get; init; }
    public SeriesTransform Transform { get; init; }
    /// <summary>
    /// The season <see cref="Filled"/>'s inner gaps were filled along (<see cref="WithSeasonalFill"/>), 0 where they are drawn
    /// straight: what the rolling origins' histories are filled along too, so their members see the gaps as the trained ones did.
    /// </summary>
    public int GapsFilledAlong { get; init; }
    /// <summary>Each series' id (<see cref="TrainingSeries.Id"/>; null: none), under which the backtest forecasts it.</summary>
    public IReadOnlyList<string?> Ids { get; init; } = [];
    public int Count => Raw.Length;
    public bool HasValidation => ValidationStart.Select((v, i) => v < Raw[i].Length).Any(b => b);

    /// <summary>
    /// Whether values [end - window, end) of a series are not mostly missing: what <see cref="ForecastModel.Forecast(IReadOnlyList{ForecastInput}, int?)"/>
    /// asks of a history, so the only origins the trainer trains on, validates on, calibrates on and backtests.
    /// </summary>
    public bool InputObserved(int series, int end, int window) =>
        !SeriesMath.MostlyMissing(MissingBefore[series][end] - MissingBefore[series][end - window], window);

    /// <summary>Whether any of values [start, start + steps) is observed (a window whose targets are all missing teaches nothing).</summary>
    public bool AnyObserved(int series, int start, int steps) => MissingBefore[series][start + steps] - MissingBefore[series][start] < steps;

    /// <summary>
    /// Whether some training part holds a window of <paramref name="window"/> inputs not mostly missing with an observed value
    /// among its <paramref name="horizon"/> targets: the origins <see cref="WindowedData.Build"/> trains on.
    /// </summary>
    public bool HasTrainingWindow(int window, int horizon)
    {
        for (int i = 0; i < Count; i++)
            for (int t = window; t + horizon <= ValidationStart[i]; t++)
                if (IsTrainingOrigin(i, t, window, horizon)) return true;
        return false;
    }

    /// <summary>Whether series <paramref name="i"/> can train from origin <paramref name="t"/>: an input a forecast could start from (not mostly missing) and an observed target.</summary>
    public bool IsTrainingOrigin(int i, int t, int window, int horizon) => InputObserved(i, t, window) && AnyObserved(i, t, horizon);

    /// <summary>
    /// The values a series of <paramref name="length"/> holds out for validation: the validation fraction, at least one
    /// full horizon, and none when the training part would be left without a few windows. A short series still holds out
    /// one horizon when it can, so early stopping, calibration and the mixing weights see data the fit did not.
    /// </summary>
    public static int ValidationLength(int length, TrainingOptions options)
    {
        int s = options.Horizon, minimum = Math.Max(options.InputWindow, 2) + s;
        int val = Math.Max(s, (int)Math.Round(length * (double)options.ValidationFraction));
        return length - val < minimum + s ? 0 : val;
    }

    /// <summary>The fewest values a series needs to hold out a validation part (and so to be backtested), or null past 10^7.</summary>
    public static int? ShortestWithValidation(TrainingOptions options)
    {
        // The held-out share grows with the length, so the first length that keeps a validation part is found by counting up.
        for (int length = Math.Max(options.InputWindow, 2) + 3 * options.Horizon; length <= 10_000_000; length++)
            if (ValidationLength(length, options) > 0) return length;
        return null;
    }

    /// <summary>Gap-fills and splits series that <see cref="ForecastTrainer.Validate(IReadOnlyList{TrainingSeries}, TrainingOptions)"/> accepted.</summary>
    public static SeriesSet Prepare(IReadOnlyList<TrainingSeries> series, TrainingOptions options)
    {
        int n = series.Count;
        var raw = new float[n][]; var filled = new float[n][]; var vStart = new int[n]; var missingBefore = new int[n][];
        var names = series[0].Covariates?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        var covRaw = new float[n][][]; var covFilled = new float[n][][];
        int missing = 0;
        for (int i = 0; i < n; i++)
        {
            var values = series[i].Values;
            int len = values.Length;
            var before = new int[len + 1];
            for (int t = 0; t < len; t++) before[t + 1] = before[t] + (float.IsNaN(values[t]) ? 1 : 0);
            missingBefore[i] = before;
            missing += before[len];
            raw[i] = values;
            filled[i] = new float[len];
            SeriesMath.FillGaps(values, filled[i]);
            vStart[i] = len - ValidationLength(len, options);

            covRaw[i] = new float[names.Length][]; covFilled[i] = new float[names.Length][];
            for (int k = 0; k < names.Length; k++)
            {
                var c = series[i].Covariates![names[k]];
                covRaw[i][k] = c;
                covFilled[i][k] = new float[len];
                SeriesMath.FillGaps(c, covFilled[i][k]);
            }
        }
        return new SeriesSet
        {
            Raw = raw, Filled = filled, ValidationStart = vStart, MissingValues = missing, MissingBefore = missingBefore,
            CovariateNames = names, CovariatesRaw = covRaw, CovariatesFilled = covFilled, Ids = series.Select(s => s.Id).ToArray(),
        };
    }

    /// <summary>The same series on another scale (the split and the gaps do not change); covariates stay as they are.</summary>
    public SeriesSet WithTransform(SeriesTransform transform)
    {
        if (transform == SeriesTransform.None) return this;
        var raw = Raw.Select(r => SeriesTransforms.Forward(transform, r)).ToArray();
        var filled = raw.Select(r => { var f = new float[r.Length]; SeriesMath.FillGaps(r, f); return f; }).ToArray();
        return new SeriesSet
        {
            Raw = raw, Filled = filled, ValidationStart = ValidationStart, MissingValues = MissingValues, MissingBefore = MissingBefore,
            CovariateNames = CovariateNames, CovariatesRaw = CovariatesRaw, CovariatesFilled = CovariatesFilled,
            Original = Raw, OriginalFilled = Filled, Transform = transform, Ids = Ids,
        };
    }

    /// <summary>
    /// The same series with their inner gaps filled along season <paramref name="m"/> (<see cref="SeasonalGapFill"/>), as a
    /// forecast fills a seasonal model's closed gaps with its members' forecasts; the values as given, the split and the
    /// covariates do not change. A model with covariates keeps its straight lines: its forecasts draw a gap straight too.
    /// </summary>
    public SeriesSet WithSeasonalFill(int m)
    {
        if (m < 2 || MissingValues == 0 || CovariateNames.Length > 0) return this;
        var filled = new float[Count][];
        for (int i = 0; i < Count; i++)
        {
            filled[i] = Filled[i];
            if (MissingBefore[i][^1] == 0) continue;
            filled[i] = (float[])Filled[i].Clone();
            SeasonalGapFill.Fill(Raw[i], filled[i], m, ValidationStart[i]);
        }
        // The backtest's baselines and its MASE scale keep reading the values as given, their gaps drawn straight.
        return new SeriesSet
        {
            Raw = Raw, Filled = filled, ValidationStart = ValidationStart, MissingValues = MissingValues, MissingBefore = MissingBefore,
            CovariateNames = CovariateNames, CovariatesRaw = CovariatesRaw, CovariatesFilled = CovariatesFilled,
            Original = Original ?? Raw, OriginalFilled = OriginalFilled ?? Filled, Transform = Transform, Ids = Ids, GapsFilledAlong = m,
        };
    }

    /// <summary>Training (or all) parts of the gap-filled series, in double precision, for the classical forecasters.</summary>
    public List<double[]> FilledParts(bool heldOut) =>
        Enumerable.Range(0, Count).Select(i => Array.ConvertAll(Filled[i][..(heldOut ? ValidationStart[i] : Filled[i].Length)], v => (double)v)).ToList();

    /// <summary>Scaling statistics per series, on the training part only or on everything.</summary>
    public (float Center, float Scale)[] Statistics(ScalingMode mode, bool validationHeldOut) =>
        Filled.Select((f, i) => SeriesMath.Statistics(f.AsSpan(0, validationHeldOut ? ValidationStart[i] : f.Length), mode)).ToArray();

    /// <summary>Season of the longest series' training part.</summary>
    public int DetectSeason()
    {
        int longest = 0;
        for (int i = 1; i < Count; i++) if (ValidationStart[i] > ValidationStart[longest]) longest = i;
        return SeriesMath.DetectSeason(Filled[longest].AsSpan(0, ValidationStart[longest]));
    }

    /// <summary>
    /// The series as they were up to <paramref name="ends"/> (exclusive), untransformed, validating from
    /// <paramref name="validationStarts"/>: a fold of the search's rolling-origin cross-validation. Nothing in it is computed
    /// from a value at or after a series' end, and its training part is gap-filled from the training part alone, so no
    /// training value depends on the validation block either (an interpolated gap across the boundary would).
    /// </summary>
    public SeriesSet Fold(int[] ends, int[] validationStarts)
    {
        var source = Original ?? Raw;
        int n = Count;
        var raw = new float[n][]; var filled = new float[n][]; var missingBefore = new int[n][];
        var covRaw = new float[n][][]; var covFilled = new float[n][][];
        int missing = 0;
        float[] FillCausally(float[] values, int split)
        {
            var f = new float[values.Length];
            SeriesMath.FillGaps(values, f);
            if (split < values.Length) SeriesMath.FillGaps(values.AsSpan(0, split), f.AsSpan(0, split));
            return f;
        }
        for (int i = 0; i < n; i++)
        {
            int end = ends[i], split = validationStarts[i];
            raw[i] = source[i][..end];
            filled[i] = FillCausally(raw[i], split);
            missingBefore[i] = MissingBefore[i][..(end + 1)];
            missing += missingBefore[i][end];
            covRaw[i] = CovariatesRaw[i].Select(c => c[..end]).ToArray();
            covFilled[i] = covRaw[i].Select(c => FillCausally(c, split)).ToArray();
        }
        return new SeriesSet
        {
            Raw = raw, Filled = filled, ValidationStart = validationStarts.ToArray(), MissingValues = missing, MissingBefore = missingBefore,
            CovariateNames = CovariateNames, CovariatesRaw = covRaw, CovariatesFilled = covFilled, Ids = Ids,
        };
    }

    public List<SeriesPart> Parts((float Center, float Scale)[] stats, bool heldOut) =>
        Enumerable.Range(0, Count).Select(i => new SeriesPart(Raw[i], Filled[i], 0, heldOut ? ValidationStart[i] : Raw[i].Length, stats[i].Center, stats[i].Scale)).ToList();
}

using LstmService.Forecasting.Models;

namespace LstmService.Forecasting.Series;

/// <summary>The series cut into training and validation windows of one length.</summary>
internal sealed record WindowedData
{
    public required int Window { get; init; }
    public required int Horizon { get; init; }
    public required ScalingMode Scaling { get; init; }
    public required float[][] Raw { get; init; }
    public required float[][] Filled { get; init; }
    /// <summary>The series before the model's transform (the same arrays as Raw and Filled without one): what a client sends.</summary>
    public required float[][] Original { get; init; }
    public required float[][] OriginalFilled { get; init; }
    /// <summary>Scaling statistics per series (training part only while validation is held out).</summary>
    public required (float Center, float Scale)[] Stats { get; init; }
    /// <summary>First index of each series' validation part (= its length when there is none).</summary>
    public required int[] ValidationStart { get; init; }
    public required List<WindowRef> Train { get; init; }
    public required List<WindowRef> Validation { get; init; }
    public required int MissingValues { get; init; }
    /// <summary>Network input layout (covariates and their futures).</summary>
    public required InputLayout Layout { get; init; }
    /// <summary>[series][covariate] gap-filled covariates and their z-score statistics (training part, or everything).</summary>
    public required float[][][] Covariates { get; init; }
    public required (float Center, float Scale)[][] CovariateStats { get; init; }
    /// <summary>
    /// Per window, a forecast (encoded units) the network learns to correct, added like the highway's: the classical members'
    /// mean when the network works on top of them (null otherwise).
    /// </summary>
    public IReadOnlyDictionary<WindowRef, float[]>? Base { get; set; }

    /// <summary>
    /// The same windows with <paramref name="series"/> (one series) as what a client sends: the series before a regression
    /// on its covariates' levels took their effect out of what the model reads (<see cref="Statistics.CovariateLevels"/>).
    /// </summary>
    public WindowedData WithOriginal(float[] series)
    {
        var filled = new float[series.Length];
        SeriesMath.FillGaps(series, filled);
        return this with { Original = [series], OriginalFilled = [filled] };
    }

    /// <summary>
    /// The same windows reading <paramref name="spikeFree"/> (per series, gap-filled, on the model's scale) where a value was
    /// observed: what the members were fitted on, without the isolated spikes the outlier rules took out. Missing values
    /// stay missing; a series' values past its spike-free part stay as they are.
    /// </summary>
    public WindowedData WithoutSpikes(IReadOnlyList<double[]> spikeFree)
    {
        float[] Clean(float[] values, int i, bool keepMissing) =>
            values.Select((v, t) => keepMissing && float.IsNaN(v) || t >= spikeFree[i].Length ? v : (float)spikeFree[i][t]).ToArray();
        return this with
        {
            Raw = Raw.Select((r, i) => Clean(r, i, keepMissing: true)).ToArray(),
            Filled = Filled.Select((f, i) => Clean(f, i, keepMissing: false)).ToArray(),
        };
    }

    public static WindowedData Build(SeriesSet set, (float Center, float Scale)[] stats, int w, int s, ScalingMode scaling, bool heldOut, string[]? futureCovariates = null)
    {
        futureCovariates ??= [];
        var train = new List<WindowRef>(); var validation = new List<WindowRef>();
        var vStart = new int[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            int len = set.Raw[i].Length;
            vStart[i] = heldOut ? set.ValidationStart[i] : len;
            for (int t = w; t + s <= vStart[i]; t++) if (set.IsTrainingOrigin(i, t, w, s)) train.Add(new WindowRef(i, t));
            for (int t = Math.Max(w, vStart[i]); t + s <= len; t++) if (set.IsTrainingOrigin(i, t, w, s)) validation.Add(new WindowRef(i, t));
        }
        if (train.Count == 0)
            throw new ArgumentException($"The series are too short (or too gappy) for one training window of {w} values, at least half of them observed, and horizon {s}.", "series");
        var covStats = set.CovariatesFilled.Select((c, i) => c.Select(v => SeriesMath.Statistics(v.AsSpan(0, vStart[i]), ScalingMode.SeriesZScore)).ToArray()).ToArray();
        var future = set.CovariateNames.Select(n => futureCovariates.Contains(n, StringComparer.Ordinal)).ToArray();
        return new WindowedData
        {
            Window = w, Horizon = s, Scaling = scaling, Raw = set.Raw, Filled = set.Filled, Original = set.Original ?? set.Raw, OriginalFilled = set.OriginalFilled ?? set.Filled, Stats = stats,
            ValidationStart = vStart, Train = train, Validation = validation, MissingValues = set.MissingValues,
            Layout = new InputLayout(w, s, future), Covariates = set.CovariatesFilled, CovariateStats = covStats,
        };
    }
}

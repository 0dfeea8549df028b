using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;

namespace LstmService.Forecasting.Training;

/// <summary>
/// A short series' forecasters scored out of sample from rolling origins: at each origin the classical members and the
/// highway are fitted again on the history before it (the smoothing's shape, theta's and the autoregression's lags chosen
/// anew, the highway's orders kept) and forecast the horizon after it. A short series has too few validation windows to
/// calibrate on, and over its training windows the members are in sample: their residuals there are narrower than the
/// errors a forecast makes (<see cref="StatisticsMixer"/> widens its intervals to these).
/// </summary>
internal sealed class RollingOriginForecasts
{
    /// <summary>Origins scored per series at most (each costs one fit of every member).</summary>
    public const int MaxOrigins = 24;

    /// <summary>Origins per series below which nothing is scored (<see cref="Collect"/> returns null).</summary>
    public const int MinOrigins = 6;

    internal RollingOriginForecasts(float[] members, float[] targets, int rows, int memberCount)
    {
        Members = members; Targets = targets; Rows = rows; MemberCount = memberCount;
    }

    /// <summary>Each row's member forecasts, [Rows, MemberCount, horizon], encoded like the trainer's windows (level: the
    /// value before the origin; scale: the series' own).</summary>
    public float[] Members { get; }
    /// <summary>Each row's targets, [Rows, horizon], encoded alike (NaN where missing).</summary>
    public float[] Targets { get; }
    /// <summary>Origins scored, over every series.</summary>
    public int Rows { get; }
    /// <summary>The classical members, and the highway when there is one.</summary>
    public int MemberCount { get; }

    /// <summary>
    /// Forecasts of the horizon from origins evenly spaced from the middle of each series (and at least two horizons past
    /// the window) to its last full horizon; null when a series has fewer than <see cref="MinOrigins"/> of them. The
    /// statistics' covariate effect is left out: it moves every member alike. The histories are the gap-filled series cut at
    /// each origin, so a gap just before an origin is interpolated towards the value after it: a small look ahead, only
    /// where values are missing.
    /// </summary>
    public static RollingOriginForecasts? Collect(SeriesSet set, WindowedData data, IReadOnlyList<int> seasons, int[] orders, ScalingMode scaling,
        CancellationToken cancellationToken = default)
    {
        int s = data.Horizon, w = data.Window, count = set.Count;
        var first = new int[count];
        var last = new int[count];
        int origins = MaxOrigins;
        for (int i = 0; i < count; i++)
        {
            int n = set.Raw[i].Length;
            first[i] = Math.Max((n + 1) / 2, w + 2 * s);
            last[i] = n - s;
            origins = Math.Min(origins, last[i] - first[i] + 1);
        }
        if (origins < MinOrigins) return null;

        bool withHighway = orders.Length > 0;
        int classical = StatisticalEnsemble.MemberCount, members = classical + (withHighway ? 1 : 0);
        var encodedMembers = new List<float>();
        var targets = new List<float>();
        int rows = 0;
        var ends = new int[count];
        var output = new double[classical * s];
        var x = new float[w];
        var highwayOutput = new float[s];
        for (int k = 0; k < origins; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < count; i++)
                ends[i] = first[i] + (int)Math.Round((double)k * (last[i] - first[i]) / (origins - 1));
            var histories = Enumerable.Range(0, count).Select(i => Array.ConvertAll(set.Filled[i][..ends[i]], v => (double)v)).ToList();
            var statistics = StatisticalEnsemble.Fit(histories, seasons);
            var stats = Enumerable.Range(0, count).Select(i => SeriesMath.Statistics(set.Filled[i].AsSpan(0, ends[i]), scaling)).ToArray();
            ComposedHighway? highway = null;
            if (withHighway)
            {
                bool relative = scaling == ScalingMode.WindowLevel;
                var parts = Enumerable.Range(0, count).Select(i => new SeriesPart(set.Raw[i], set.Filled[i], 0, ends[i], stats[i].Center, stats[i].Scale)).ToList();
                var fitted = LinearHighway.FitOrders(parts, orders, relative).OfType<float[]>().ToList();
                if (fitted.Count == 0) continue; // too few windows before this origin for the highway
                highway = new ComposedHighway(new LinearHighway(relative, fitted), w, s);
            }
            for (int i = 0; i < count; i++)
            {
                statistics.Forecast(histories[i], s, output);
                double level = set.Filled[i][ends[i] - 1], unit = data.Stats[i].Scale;
                foreach (var v in output) encodedMembers.Add((float)((v - level) / unit));
                if (highway is not null)
                {
                    var (center, scale) = ForecastModel.EncodeWindow(set.Filled[i], ends[i], w, scaling, stats[i], x);
                    highway.Forecast(x, highwayOutput);
                    foreach (var v in highwayOutput) encodedMembers.Add((float)((center + scale * v - level) / unit));
                }
                for (int t = 0; t < s; t++) targets.Add((float)((set.Raw[i][ends[i] + t] - level) / unit));
                rows++;
            }
        }
        return rows == 0 ? null : new RollingOriginForecasts([.. encodedMembers], [.. targets], rows, members);
    }
}

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using static LstmService.TestSupport.TestUtil;

namespace LstmService.Forecasting.Tests;

/// <summary>Series preparation: gap filling, scaling round trips, season detection and the linear highway.</summary>
public class ForecastingSeriesTests
{
    static readonly float N = float.NaN;

    [Fact]
    public void FillGapsInterpolatesInsideAndHoldsTheEnds()
    {
        float[] values = [N, N, 1, N, N, 4, 5, N];
        var filled = new float[values.Length];
        Assert.True(SeriesMath.FillGaps(values, filled));
        Assert.Equal([1f, 1f, 1f, 2f, 3f, 4f, 5f, 5f], filled);
        Assert.Equal(5, SeriesMath.CountMissing(values));
        Assert.False(SeriesMath.FillGaps([N, N], new float[2]));
    }

    [Theory]
    [InlineData(ScalingMode.WindowLevel)]
    [InlineData(ScalingMode.SeriesZScore)]
    [InlineData(ScalingMode.SeriesRobust)]
    public void EncodingAndDecodingRoundTrip(ScalingMode mode)
    {
        var rng = new SeededRandom(5);
        var history = Enumerable.Range(0, 40).Select(i => 100f + 3 * i + 10 * rng.NextFloat()).ToArray();
        var stats = SeriesMath.Statistics(history, mode);
        Assert.True(stats.Scale > 0);
        const int w = 6;
        var x = new float[w];
        var (level, scale) = ForecastModel.EncodeWindow(history, history.Length, w, mode, stats, x);
        Assert.Equal(mode == ScalingMode.WindowLevel ? history[^1] : stats.Center, level);
        if (mode == ScalingMode.WindowLevel) Assert.Equal(0f, x[^1]);
        // Feed the encoded window back through the decoder as if the network had predicted it.
        var net = new LstmNetwork(new LstmConfig(1, 4, 1, w));
        var model = new ForecastModel(net, w, w, [], mode);
        var decoded = model.Decode(x, [(level, scale)], w, null, [false])[0].Mean;
        AssertClose(history.AsSpan(history.Length - w), decoded, 1e-3, 1e-5, $"{mode} round trip");
    }

    [Fact]
    public void StatisticsMatchHandComputedValues()
    {
        float[] h = [1, 3, 2, 6];
        var z = SeriesMath.Statistics(h, ScalingMode.SeriesZScore);
        Assert.Equal(3f, z.Center, 5);
        Assert.Equal((float)Math.Sqrt((4 + 0 + 1 + 9) / 4.0), z.Scale, 5);
        var window = SeriesMath.Statistics(h, ScalingMode.WindowLevel);
        Assert.Equal((2f + 1f + 4f) / 3f, window.Scale, 5); // mean absolute step
        var robust = SeriesMath.Statistics(h, ScalingMode.SeriesRobust);
        Assert.Equal(2.5f, robust.Center, 5);
        Assert.Equal((float)((3.75 - 1.75) / 1.349), robust.Scale, 4);
        Assert.True(SeriesMath.Statistics([5, 5, 5], ScalingMode.SeriesZScore).Scale > 0, "A flat series must not get a zero scale.");
    }

    static float[] Seasonal(int length, int period, double trend, double noise, ulong seed, double shortRange = 0)
    {
        var rng = new SeededRandom(seed);
        var values = new float[length];
        double ar = 0;
        for (int t = 0; t < length; t++)
        {
            ar = shortRange * ar + noise * rng.NextGaussian();
            values[t] = (float)(10 + trend * t + 3 * Math.Sin(2 * Math.PI * t / period) + Math.Cos(4 * Math.PI * t / period) + ar);
        }
        return values;
    }

    [Theory]
    [InlineData(12, 0.05, 0.3, 0.0)]
    [InlineData(7, 0.0, 0.5, 0.0)]
    [InlineData(52, 0.03, 0.6, 0.8)] // weekly-style: strong short-range dependence must not read as a season of a few steps
    public void DetectSeasonFindsThePeriod(int period, double trend, double noise, double shortRange)
    {
        var series = Seasonal(Math.Max(400, 8 * period), period, trend, noise, 11, shortRange);
        Assert.Equal(period, SeriesMath.DetectSeason(series));
    }

    [Fact]
    public void DetectSeasonSaysNoneForNoiseAndShortSeries()
    {
        var rng = new SeededRandom(3);
        var walk = new float[500];
        for (int t = 1; t < walk.Length; t++) walk[t] = walk[t - 1] + (float)rng.NextGaussian();
        Assert.Equal(1, SeriesMath.DetectSeason(walk));
        Assert.Equal(1, SeriesMath.DetectSeason([1, 2, 3]));
        Assert.Equal(1, SeriesMath.DetectSeason(new float[100]));
    }

    [Fact]
    public void SolveRidgeSolvesASmallSystem()
    {
        // [[4, 2], [2, 3]] w = [10, 8] → w = [1.75, 1.5]; no ridge on the last unknown, none at all here.
        double[] gram = [4, 2, 2, 3], rhs = [10, 8];
        SeriesMath.SolveRidge(gram, rhs, 2, 0);
        Assert.Equal(1.75, rhs[0], 6);
        Assert.Equal(1.5, rhs[1], 6);
    }

    [Fact]
    public void HighwayComposeMatchesExplicitRecursion()
    {
        // Relative AR of order 3: next = last + b + c0 (x[t-3] - last) + c1 (x[t-2] - last).
        float[] c = [0.2f, -0.3f, 0.05f];
        var hw = new LinearHighway(relative: true, [c]);
        Assert.Equal([3], hw.Orders);
        const int w = 5, s = 4;
        var (matrix, bias) = hw.Compose(w, s);
        float[] x = [0.5f, -1f, 2f, 0.25f, 0f];
        var path = x.Select(v => (double)v).ToList();
        for (int k = 0; k < s; k++)
        {
            int t = path.Count;
            double last = path[t - 1];
            path.Add(last + c[2] + c[0] * (path[t - 3] - last) + c[1] * (path[t - 2] - last));
        }
        var y = new float[s];
        LinearHighway.Apply(matrix, bias, w, x, y);
        AssertClose(path.Skip(w).ToArray(), y, 1e-5, 1e-5, "composed vs recursive");
    }

    [Fact]
    public void HighwayFitRecoversAnAutoregression()
    {
        // x_t = 0.6 x_{t-1} - 0.3 x_{t-2} + 1 + noise, absolute form of order 2.
        var rng = new SeededRandom(17);
        var values = new float[3000];
        for (int t = 2; t < values.Length; t++) values[t] = (float)(0.6 * values[t - 1] - 0.3 * values[t - 2] + 1 + 0.1 * rng.NextGaussian());
        var part = new SeriesPart(values, values, 0, values.Length, 0f, 1f);
        var c = LinearHighway.Fit([part], 2, relative: false, ridge: 0)!;
        Assert.Equal(-0.3, c[0], 1);
        Assert.Equal(0.6, c[1], 1);
        Assert.Equal(1.0, c[2], 1);
        // Metadata form round-trips exactly.
        var hw = new LinearHighway(false, [c]);
        var back = LinearHighway.Parse(hw.Serialize());
        AssertBitEqual(c, back.Coefficients[0], "parsed coefficients");
        Assert.False(back.Relative);
    }

    [Fact]
    public void MergedEnsembleOutputsTheMembersAverage()
    {
        var config = new LstmConfig(1, 5, 2, 3, Peepholes: true);
        var members = new[] { 1UL, 2UL, 3UL }.Select(seed =>
        {
            var net = LstmNetwork.Create(config, seed, forgetBiasOne: true);
            var rng = new SeededRandom(seed + 100);
            foreach (var t in net.Layout.Tensors.Where(t => t.Name.Contains("peephole")))
                for (int i = 0; i < t.Length; i++) net.Parameters[t.Offset + i] = rng.NextUniform(-0.3f, 0.3f);
            net.ParametersChanged();
            return net;
        }).ToArray();
        AssertMergedOutputsTheAverage(members, membersByForward: true, "merged ensemble output");
    }

    [Fact]
    public void MergedGruEnsembleOutputsTheMembersAverage()
    {
        // The GRU's reset gate multiplies the unit's own recurrent term, so block-diagonal merging stays exact for it too.
        var config = new RecurrentConfig(RecurrentCell.Gru, 1, 5, 2, 3);
        var members = new[] { 1UL, 2UL, 3UL }.Select(seed => config.Create(seed)).ToArray();
        var (merged, expected) = AssertMergedOutputsTheAverage(members, membersByForward: false, "merged GRU ensemble output");
        Assert.Equal(RecurrentCell.Gru, merged.Config.Cell);
        Assert.IsType<GruNetwork>(merged);
        Assert.Contains(expected, v => MathF.Abs(v) > 1e-3f); // members that say something, not zeros averaged
    }

    /// <summary>
    /// Merges three members of hidden size 5, asserts the merged network's inference on one random batch is the members' mean
    /// (each member run by its training forward or by inference) and returns the merged network and that mean.
    /// </summary>
    static (IRecurrentNetwork Merged, float[] Expected) AssertMergedOutputsTheAverage(IRecurrentNetwork[] members, bool membersByForward, string what)
    {
        var merged = Ensemble.Merge(members);
        Assert.Equal(15, merged.Config.HiddenSize);
        const int b = 4, steps = 7;
        var x = Random(new SeededRandom(9), b * steps);
        var expected = new float[b * members[0].Config.OutputSize];
        foreach (var m in members)
        {
            var ws = m.CreateWorkspace();
            if (membersByForward) ws.Forward(x, b, steps, training: false, dropoutSeed: 0);
            else ws.Infer(x, b, steps);
            for (int i = 0; i < expected.Length; i++) expected[i] += ws.Output[i] / members.Length;
        }
        var mws = merged.CreateWorkspace();
        mws.Infer(x, b, steps);
        AssertClose(expected, mws.Output, 1e-5, 1e-4, what);
        return (merged, expected);
    }
}

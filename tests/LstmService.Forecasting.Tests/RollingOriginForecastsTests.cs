using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>A short series' forecasters scored from rolling origins, each fitted on the history before its origin alone, and the weights they set.</summary>
public class RollingOriginForecastsTests
{
    const int Horizon = 4, Window = 13;
    static readonly TrainingOptions Small = new() { Horizon = Horizon, HiddenSize = 6, Epochs = 4, Patience = 2, BatchSize = 16, Ensemble = 2, Seed = 3 };

    /// <summary>A season of 12 on a slow trend with Gaussian noise.</summary>
    static float[] Seasonal(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(100 + 0.2 * t + 10 * Math.Sin(2 * Math.PI * t / 12) + rng.NextGaussian())).ToArray();
    }

    static (SeriesSet Set, WindowedData Data) Prepare(params float[][] values)
    {
        var set = SeriesSet.Prepare(values.Select(v => new TrainingSeries(v)).ToArray(), Small);
        var stats = set.Statistics(ScalingMode.WindowLevel, validationHeldOut: true);
        return (set, WindowedData.Build(set, stats, Window, Horizon, ScalingMode.WindowLevel, heldOut: true));
    }

    /// <summary>The origins <see cref="RollingOriginForecasts.Collect"/> picks in a series of <paramref name="n"/> values.</summary>
    static int[] Origins(int n, int count)
    {
        int first = Math.Max((n + 1) / 2, Window + 2 * Horizon), last = n - Horizon;
        return Enumerable.Range(0, count).Select(k => first + (int)Math.Round((double)k * (last - first) / (count - 1))).ToArray();
    }

    [Fact]
    public void EachOriginForecastsFromTheHistoryBeforeItAlone()
    {
        var values = Seasonal(120, 5);
        // From the middle (60) to the last full horizon (116): 57 candidates, MaxOrigins of them evenly spaced. Origin 7 (77)
        // follows a gap, which a forecast from it fills from the values before it alone.
        var origins = Origins(120, RollingOriginForecasts.MaxOrigins);
        int row = 7, origin = origins[row];
        for (int t = origin - 3; t < origin; t++) values[t] = float.NaN;
        var (set, data) = Prepare(values);
        var rolling = RollingOriginForecasts.Collect(set, data, [12], [Window])!;
        Assert.Equal(StatisticalEnsemble.MemberCount + 1, rolling.MemberCount);
        Assert.Equal(RollingOriginForecasts.MaxOrigins, rolling.Rows);
        int members = rolling.MemberCount;
        double unit = data.Stats[0].Scale;
        var prefix = new float[origin];
        SeriesMath.FillGaps(values.AsSpan(0, origin), prefix);
        Assert.Equal(values[origin - 4], prefix[^1]); // carried forward, not interpolated towards values[origin]
        for (int k = 0; k < rolling.Rows; k++)
        {
            // The level is the last value observed before the origin (the gap's values are carried from before it).
            int before = origins[k] - 1;
            while (float.IsNaN(values[before])) before--;
            for (int t = 0; t < Horizon; t++)
            {
                float actual = values[origins[k] + t], target = rolling.Targets[k * Horizon + t];
                if (float.IsNaN(actual)) Assert.True(float.IsNaN(target));
                else Assert.Equal((actual - values[before]) / unit, target, 4);
            }
        }

        // The classical members at that origin are those fitted on its prefix alone, and so is the highway.
        var history = Array.ConvertAll(prefix, v => (double)v);
        var expected = new double[StatisticalEnsemble.MemberCount * Horizon];
        StatisticalEnsemble.Fit([history], [12]).Forecast(history, Horizon, expected);
        for (int j = 0; j < expected.Length; j++)
            Assert.Equal((expected[j] - prefix[^1]) / unit, rolling.Members[row * members * Horizon + j], 3);
        var stats = SeriesMath.Statistics(prefix, ScalingMode.WindowLevel);
        var fitted = LinearHighway.FitOrdersRobust([new SeriesPart(values[..origin], prefix, 0, origin, stats.Center, stats.Scale)], [Window], relative: true);
        var (matrix, bias) = new LinearHighway(true, [fitted[0]!]).Compose(Window, Horizon);
        var x = new float[Window];
        var y = new float[Horizon];
        var (center, scale) = ForecastModel.EncodeWindow(prefix, origin, Window, ScalingMode.WindowLevel, stats, x);
        LinearHighway.Apply(matrix, bias, Window, x, y);
        for (int t = 0; t < Horizon; t++)
            Assert.Equal((center + scale * (double)y[t] - prefix[^1]) / unit, rolling.Members[(row * members + StatisticalEnsemble.MemberCount) * Horizon + t], 3);

        // Nothing from an origin on reaches its row or an earlier one: change every later value and those rows' forecasts
        // stay (bit for bit in their own units; the encoding's unit is the training part's, which changed too).
        var changed = values.ToArray();
        for (int t = origin; t < changed.Length; t++) changed[t] = changed[t] * 3 + 7;
        var (set2, data2) = Prepare(changed);
        var again = RollingOriginForecasts.Collect(set2, data2, [12], [Window])!;
        double ratio = data.Stats[0].Scale / data2.Stats[0].Scale;
        for (int k = 0; k <= row; k++)
            for (int j = 0; j < members * Horizon; j++)
                Assert.Equal(rolling.Members[k * members * Horizon + j] * ratio, again.Members[k * members * Horizon + j], 4);
        Assert.NotEqual(rolling.Members[(row + 1) * members * Horizon], again.Members[(row + 1) * members * Horizon] / ratio, 3);
    }

    [Fact]
    public void SeveralSeriesAreScoredAtTheirOwnOriginsAndMostlyMissingWindowsAreNot()
    {
        var a = Seasonal(120, 8);
        var b = Seasonal(90, 9);
        // b's windows before some of its origins are mostly missing: those origins are not scored.
        var originsA = Origins(120, RollingOriginForecasts.MaxOrigins);
        var originsB = Origins(90, RollingOriginForecasts.MaxOrigins);
        for (int t = originsB[5] - Window; t < originsB[5] - 2; t++) b[t] = float.NaN;
        var (set, data) = Prepare(a, b);
        var rolling = RollingOriginForecasts.Collect(set, data, [12], [Window])!;
        var scoredB = originsB.Select(o => set.InputObserved(1, o, Window)).ToArray();
        Assert.Contains(false, scoredB);
        Assert.True(scoredB[0] && scoredB[^1]);
        Assert.Equal(RollingOriginForecasts.MaxOrigins + scoredB.Count(x => x), rolling.Rows);
        // Rows go origin by origin, a's then b's where it is scored; every one of a's targets is where that order puts it.
        double unitA = data.Stats[0].Scale;
        int r = 0;
        for (int k = 0; k < originsA.Length; k++)
        {
            Assert.Equal((a[originsA[k]] - a[originsA[k] - 1]) / unitA, rolling.Targets[r * Horizon], 4);
            r += scoredB[k] ? 2 : 1;
        }
        Assert.All(rolling.Members, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ASeriesTooShortForItsOwnOriginsIsLeftOutAndTheOthersStillScored()
    {
        // 25 values: origins from max(13, 21) = 21 to 21, one. The long series is scored as if it were alone (the short one
        // is not refitted either: at its full length it would show the long one's fits what came after their origins).
        var a = Seasonal(120, 13);
        var (set, data) = Prepare(a, Seasonal(25, 14));
        var rolling = RollingOriginForecasts.Collect(set, data, [12], [Window])!;
        Assert.Equal(RollingOriginForecasts.MaxOrigins, rolling.Rows);
        var (alone, aloneData) = Prepare(a);
        var single = RollingOriginForecasts.Collect(alone, aloneData, [12], [Window])!;
        double ratio = aloneData.Stats[0].Scale / data.Stats[0].Scale;
        Assert.Equal(single.Members.Length, rolling.Members.Length);
        for (int j = 0; j < single.Members.Length; j++) Assert.Equal(single.Members[j] * ratio, rolling.Members[j], 4);
        Assert.Null(RollingOriginForecasts.Collect(SeriesSet.Prepare([new TrainingSeries(Seasonal(25, 14))], Small),
            Prepare(Seasonal(25, 14)).Data, [12], [Window]));
    }

    [Fact]
    public void TooFewOriginsScoreNothing()
    {
        // 24 values: with a window of 4 origins run from max(12, 4 + 8) = 12 to 20, nine of them; with a window of 8 from
        // 16 to 20, five, fewer than MinOrigins.
        var set = SeriesSet.Prepare([new TrainingSeries(Seasonal(24, 6))], Small);
        var stats = set.Statistics(ScalingMode.WindowLevel, validationHeldOut: true);
        var four = WindowedData.Build(set, stats, 4, Horizon, ScalingMode.WindowLevel, heldOut: true);
        Assert.Equal(9, RollingOriginForecasts.Collect(set, four, [], [])!.Rows);
        var eight = WindowedData.Build(set, stats, 8, Horizon, ScalingMode.WindowLevel, heldOut: true);
        Assert.Null(RollingOriginForecasts.Collect(set, eight, [], []));
    }

    [Fact]
    public void RollingOriginErrorsSetTheWeightsAndNoMemberIsTrimmed()
    {
        var values = Seasonal(120, 7);
        var model = ForecastTrainer.Train([values], Small).Model;
        Assert.Equal(0f, model.CorrectionScale);
        var (set, _) = Prepare(values);
        var data = WindowedData.Build(set, set.Statistics(ScalingMode.WindowLevel, true), model.InputWindow, Horizon, ScalingMode.WindowLevel, heldOut: true);
        int members = model.Statistics!.Weights.Count - 1, rows = 20;
        // Member j misses every target by j + 1 (alternating sign): mean squared errors 1, 4, 9, ...; the worst is far more
        // than twice the best, which the in-sample rule would leave out.
        var forecasts = new float[rows * members * Horizon];
        var targets = new float[rows * Horizon];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < Horizon; t++)
            {
                targets[r * Horizon + t] = r * 0.1f + t;
                for (int j = 0; j < members; j++)
                    forecasts[(r * members + j) * Horizon + t] = targets[r * Horizon + t] + ((r + t) % 2 == 0 ? 1 : -1) * (j + 1);
            }
        var rolling = new RollingOriginForecasts(forecasts, targets, rows, members);
        var (weights, _, _, _) = StatisticsMixer.Fit(model, model.Statistics, data, [0.1f, 0.5f, 0.9f], calibrate: false, 1f, rolling: rolling);
        Assert.Equal(1f, weights.Sum(), 4);
        for (int j = 1; j < members; j++)
        {
            Assert.True(weights[j + 1] > 0);
            Assert.Equal(weights[1] / (j + 1) / (j + 1), weights[j + 1], 4); // inversely proportional to (j + 1)²
        }
        // The members' mean (the silenced network's forecast) misses by the mean of ±1..±members, alternating alike.
        double meanMiss = Enumerable.Range(1, members).Average();
        Assert.Equal(weights[1] / meanMiss / meanMiss, weights[0], 4);

        // A member whose forecasts overflowed gets no weight, the others theirs.
        forecasts[(members - 1) * Horizon] = float.PositiveInfinity; // the last member's first step at the first origin
        var (withOverflow, _, _, _) = StatisticsMixer.Fit(model, model.Statistics, data, [0.1f, 0.5f, 0.9f], false, 1f, rolling: new RollingOriginForecasts(forecasts, targets, rows, members));
        Assert.Equal(0f, withOverflow[members]);
        Assert.Equal(0f, withOverflow[0]); // the mean reads it too
        Assert.Equal(1f, withOverflow.Sum(), 4);

        var live = ForecastTrainer.Train([Seasonal(ForecastTrainer.MinimumNetworkWindows * 2, 7)], Small).Model;
        Assert.Throws<ArgumentException>(() => StatisticsMixer.Fit(live, live.Statistics!, data, [0.1f, 0.5f, 0.9f], false, 1f, rolling: rolling));
    }

    [Fact]
    public void TheTrainerWeighsAShortSeriesByItsRollingOrigins()
    {
        // The trainer's own steps before the mix, then the weights the rolling origins give: those the model keeps.
        var values = Seasonal(110, 11);
        var model = ForecastTrainer.Train([values], Small).Model;
        Assert.Equal(0f, model.CorrectionScale);
        var set = SeriesSet.Prepare([new TrainingSeries(values)], Small);
        var seasons = ForecastTrainer.Seasons(set, Small);
        set = set.WithTransform(ForecastTrainer.ChooseTransform(set, Small, seasons));
        var data = WindowedData.Build(set, set.Statistics(Small.Scaling, true), model.InputWindow, Horizon, Small.Scaling, heldOut: true);
        Assert.True(data.Validation.Count < Evaluation.Conformal.MinSamples);
        var rolling = RollingOriginForecasts.Collect(set, data, seasons, model.Highway!.Orders.ToArray())!;
        int members = rolling.MemberCount;
        var squared = new double[members + 1];
        for (int r = 0; r < rolling.Rows; r++)
            for (int t = 0; t < Horizon; t++)
            {
                double y = rolling.Targets[r * Horizon + t], mean = 0;
                for (int j = 0; j < members; j++)
                {
                    double f = rolling.Members[(r * members + j) * Horizon + t];
                    squared[1 + j] += (y - f) * (y - f);
                    mean += f / members;
                }
                squared[0] += (y - mean) * (y - mean);
            }
        double total = squared.Sum(v => 1 / v);
        var weights = model.Statistics!.Weights;
        for (int j = 0; j <= members; j++) Assert.Equal(1 / squared[j] / total, weights[j], 4);
    }
}

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

    static (SeriesSet Set, WindowedData Data) Prepare(float[] values)
    {
        var set = SeriesSet.Prepare([new TrainingSeries(values)], Small);
        var stats = set.Statistics(ScalingMode.WindowLevel, validationHeldOut: true);
        return (set, WindowedData.Build(set, stats, Window, Horizon, ScalingMode.WindowLevel, heldOut: true));
    }

    [Fact]
    public void EachOriginForecastsFromTheHistoryBeforeItAlone()
    {
        var values = Seasonal(120, 5);
        var (set, data) = Prepare(values);
        var rolling = RollingOriginForecasts.Collect(set, data, [12], [Window], ScalingMode.WindowLevel)!;
        Assert.NotNull(rolling);
        Assert.Equal(StatisticalEnsemble.MemberCount + 1, rolling.MemberCount);
        // From the middle (60) to the last full horizon (116): 57 candidates, MaxOrigins of them evenly spaced.
        Assert.Equal(RollingOriginForecasts.MaxOrigins, rolling.Rows);
        int members = rolling.MemberCount;
        var origins = Enumerable.Range(0, rolling.Rows).Select(k => 60 + (int)Math.Round(k * 56.0 / (rolling.Rows - 1))).ToArray();
        double unit = data.Stats[0].Scale;
        for (int k = 0; k < rolling.Rows; k++)
            for (int t = 0; t < Horizon; t++)
                Assert.Equal((values[origins[k] + t] - values[origins[k] - 1]) / unit, rolling.Targets[k * Horizon + t], 4);

        // The classical members at an origin are those fitted on its prefix alone.
        int row = 7, origin = origins[row];
        var prefix = Array.ConvertAll(values[..origin], v => (double)v);
        var expected = new double[StatisticalEnsemble.MemberCount * Horizon];
        StatisticalEnsemble.Fit([prefix], [12]).Forecast(prefix, Horizon, expected);
        for (int j = 0; j < expected.Length; j++)
            Assert.Equal((expected[j] - values[origin - 1]) / unit, rolling.Members[row * members * Horizon + j], 3);

        // Nothing after an origin's horizon reaches its row: change the last values and the earlier rows stay bit for bit.
        var changed = values.ToArray();
        for (int t = origins[row] + Horizon; t < changed.Length; t++) changed[t] *= 3;
        var (set2, data2) = Prepare(changed);
        var again = RollingOriginForecasts.Collect(set2, data2, [12], [Window], ScalingMode.WindowLevel)!;
        double ratio = data.Stats[0].Scale / data2.Stats[0].Scale; // the encoding's unit is the training part's, which changed too
        for (int k = 0; k <= row; k++)
            for (int j = 0; j < members * Horizon; j++)
                Assert.Equal(rolling.Members[k * members * Horizon + j] * ratio, again.Members[k * members * Horizon + j], 4);
        Assert.NotEqual(rolling.Members[(row + 3) * members * Horizon], again.Members[(row + 3) * members * Horizon] / ratio);
    }

    [Fact]
    public void TooFewOriginsScoreNothing()
    {
        // 24 values: with a window of 4 origins run from max(12, 4 + 8) = 12 to 20, nine of them; with a window of 8 from
        // 16 to 20, five, fewer than MinOrigins.
        var set = SeriesSet.Prepare([new TrainingSeries(Seasonal(24, 6))], Small);
        var stats = set.Statistics(ScalingMode.WindowLevel, validationHeldOut: true);
        var four = WindowedData.Build(set, stats, 4, Horizon, ScalingMode.WindowLevel, heldOut: true);
        Assert.Equal(9, RollingOriginForecasts.Collect(set, four, [], [], ScalingMode.WindowLevel)!.Rows);
        var eight = WindowedData.Build(set, stats, 8, Horizon, ScalingMode.WindowLevel, heldOut: true);
        Assert.Null(RollingOriginForecasts.Collect(set, eight, [], [], ScalingMode.WindowLevel));
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
        var (weights, _) = StatisticsMixer.Fit(model, model.Statistics, data, [0.1f, 0.5f, 0.9f], calibrate: false, 1f, rolling: rolling);
        Assert.Equal(1f, weights.Sum(), 4);
        for (int j = 1; j < members; j++)
        {
            Assert.True(weights[j + 1] > 0);
            Assert.Equal(weights[1] / (j + 1) / (j + 1), weights[j + 1], 4); // inversely proportional to (j + 1)²
        }
        // The members' mean (the silenced network's forecast) misses by the mean of ±1..±members, alternating alike.
        double meanMiss = Enumerable.Range(1, members).Average();
        Assert.Equal(weights[1] / meanMiss / meanMiss, weights[0], 4);

        var live = ForecastTrainer.Train([Seasonal(ForecastTrainer.MinimumNetworkWindows * 2, 7)], Small).Model;
        Assert.Throws<ArgumentException>(() => StatisticsMixer.Fit(live, live.Statistics!, data, [0.5f], false, 1f, rolling: rolling));
    }
}

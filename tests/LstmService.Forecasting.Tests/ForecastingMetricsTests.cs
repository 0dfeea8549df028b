using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>Accuracy metrics, the naive scale of MASE, interval coverage and the conformal quantile, against hand-computed values.</summary>
public class ForecastingMetricsTests
{
    [Fact]
    public void AccuracyMetricsMatchHandComputedValues()
    {
        var acc = new AccuracyAccumulator();
        double[] actual = [1, 2, 4], forecast = [2, 2, 1];
        for (int i = 0; i < 3; i++) acc.Add(actual[i], forecast[i], naiveScale: 2);
        var m = acc.Result();
        Assert.Equal(3, m.Points);
        Assert.Equal(Math.Sqrt(10.0 / 3), m.Rmse, 12);             // errors 1, 0, -3
        Assert.Equal(4.0 / 3, m.Mae, 12);
        Assert.Equal(4.0 / 3 / 2, m.Mase, 12);                      // MAE / in-sample naive MAE
        Assert.Equal(100 * (2.0 / 3 + 0 + 6.0 / 5) / 3, m.Smape, 10); // 2|e| / (|a| + |f|), in percent
        Assert.True(double.IsNaN(new AccuracyAccumulator().Result().Rmse));
    }

    [Fact]
    public void SmapeSkipsPointsWhereActualAndForecastAreZero()
    {
        var acc = new AccuracyAccumulator();
        acc.Add(0, 0, 1);
        acc.Add(1, 3, 1);
        var m = acc.Result();
        Assert.Equal(100 * (4.0 / 4), m.Smape, 10);
        Assert.Equal(Math.Sqrt(4.0 / 2), m.Rmse, 12);
    }

    [Fact]
    public void NaiveScaleIsTheInSampleMeanAbsoluteSeasonalStep()
    {
        float[] h = [1, 3, 2, 6];
        Assert.Equal(7.0 / 3, Backtest.NaiveScale(h, 1), 12);
        Assert.Equal((1.0 + 3.0) / 2, Backtest.NaiveScale(h, 2), 12);
        Assert.Equal(7.0 / 3, Backtest.NaiveScale(h, 10), 12); // season longer than the history: plain naive
        Assert.Equal(1.0, Backtest.NaiveScale([5, 5, 5], 1), 12); // no movement: 1, never a division by zero
        // A season repeated exactly has no seasonal-naive error: the one-step naive error scales it (it had fallen to 1, so
        // the MASE was an error in the data's units); a constant series keeps 1 whatever the season.
        Assert.Equal(2.0, Backtest.NaiveScale([1, 3, 1, 3, 1, 3, 1, 3], 2), 12);
        Assert.Equal(2e9, Backtest.NaiveScale([1e10f, 1.2e10f, 1e10f, 1.2e10f, 1e10f, 1.2e10f], 2), 12);
        Assert.Equal(1.0, Backtest.NaiveScale([5, 5, 5, 5], 2), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void NaiveScaleLeavesATyposStepsOut(int season)
    {
        // A weekly pattern with noise, and the same series with one value typed ten times too large: the typo's two steps
        // (in and out) had tripled the scale, and so divided every MASE by three.
        int[] week = [0, 5, 8, 6, 10, -15, -20];
        var rng = new Random(3);
        var clean = Enumerable.Range(0, 250).Select(t => (float)(100 + week[t % 7] + 2 * rng.NextDouble())).ToArray();
        var typo = clean.ToArray();
        typo[100] *= 10;
        double expected = Backtest.NaiveScale(clean, season);
        Assert.InRange(Backtest.NaiveScale(typo, season), 0.97 * expected, 1.03 * expected);
        // A level shift is no typo: its one step counts.
        var shifted = clean.Select((v, t) => t >= 100 ? v + 200 : v).ToArray();
        Assert.True(Backtest.NaiveScale(shifted, season) > expected + 0.5);
    }

    [Fact]
    public void ConformalQuantileInterpolatesAndPushesOutward()
    {
        float[] values = [4, 1, 3, 2, 5];
        // n = 5: level 0.5 stays 0.5 (the median), 0.9 → 0.98, 0.1 → 0.02, interpolated between order statistics.
        Assert.Equal(3.0, Conformal.EmpiricalQuantile(values, 0.5), 12);
        Assert.Equal(1 + 0.02 * 4, Conformal.EmpiricalQuantile(values, 0.1), 9);
        Assert.Equal(1 + 0.98 * 4, Conformal.EmpiricalQuantile(values, 0.9), 9);
    }

    [Fact]
    public void BacktestScoresANaiveModelLikeTheNaiveBaselineAndCountsCoverage()
    {
        // A network with all-zero weights predicts "no change" under window-level scaling: exactly the naive forecast.
        // Calibration offsets of ±0.5 scale units then give the interval [last - 0.5 scale, last + 0.5 scale].
        var rng = new SeededRandom(21);
        var values = new float[40];
        for (int t = 1; t < values.Length; t++) values[t] = values[t - 1] + (float)rng.NextGaussian();
        values[^1] = float.NaN; // a missing target is skipped
        const int w = 3, s = 2;
        float[] quantiles = [0.1f, 0.9f];
        var options = new TrainingOptions { InputWindow = w, Horizon = s, ValidationFraction = 0.25f, Quantiles = quantiles };
        var set = SeriesSet.Prepare([new TrainingSeries(values)], options);
        var data = WindowedData.Build(set, set.Statistics(ScalingMode.WindowLevel, true), w, s, ScalingMode.WindowLevel, heldOut: true);
        var net = new LstmNetwork(new LstmConfig(1, 4, 1, s * 3));
        var model = new ForecastModel(net, w, s, quantiles, ScalingMode.WindowLevel, null, [-0.5f, -0.5f, 0.5f, 0.5f], seasonLength: 4);
        var m = Backtest.Run(model, data, season: 4);

        Assert.Equal(m.Naive.Rmse, m.Model.Rmse, 5);
        Assert.Equal(m.Naive.Mae, m.Model.Mae, 5);
        int covered = 0, points = 0;
        double seasonalSq = 0;
        var filled = new float[values.Length];
        SeriesMath.FillGaps(values, filled);
        for (int origin = 30; origin + s <= values.Length; origin++)
        {
            var history = filled[..origin];
            float last = history[^1], scale = SeriesMath.Statistics(history, ScalingMode.WindowLevel).Scale;
            for (int h = 0; h < s; h++)
            {
                float y = values[origin + h];
                if (float.IsNaN(y)) continue;
                points++;
                if (y >= last - 0.5f * scale && y <= last + 0.5f * scale) covered++;
                seasonalSq += Math.Pow(filled[origin + h - 4] - y, 2);
            }
        }
        Assert.Equal(points, m.Model.Points);
        Assert.Equal((double)covered / points, m.IntervalCoverage["0.1-0.9"], 12);
        Assert.Equal(Math.Sqrt(seasonalSq / points), m.SeasonalNaive.Rmse, 4);
        Assert.Equal(4, m.SeasonLength);
    }
}

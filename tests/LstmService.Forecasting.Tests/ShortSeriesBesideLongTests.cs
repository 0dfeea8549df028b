using LstmService.Forecasting.Series;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A model of several series whose one series is far shorter than the others: the short one does not cap the window they
/// share (<see cref="ForecastTrainer.WindowCap"/>), so the others' forecasts stay as good as without it.
/// </summary>
public class ShortSeriesBesideLongTests
{
    /// <summary>A QA pass's shop: a monthly season of amplitude a around level l, with noise of 3% of the level.</summary>
    static float[] Shop(int length, float level, float amplitude, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length)
            .Select(t => level + amplitude * MathF.Sin(2 * MathF.PI * t / 12) + 0.03f * level * (float)rng.NextGaussian()).ToArray();
    }

    static TrainingOptions Options => new() { Horizon = 6, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 };

    /// <summary>Mean absolute error of the model's forecast of <paramref name="series"/>' last six values from the values before them.</summary>
    static double HeldOutError(Models.ForecastModel model, float[] series)
    {
        var forecast = model.Forecast([series[..^6]])[0];
        return forecast.Mean.Select((m, t) => Math.Abs(m - series[series.Length - 6 + t])).Average();
    }

    [Fact]
    public void A_far_shorter_series_does_not_shrink_the_others_window()
    {
        var a = Shop(106, 1000, 200, 1);
        var b = Shop(66, 50, 10, 2);
        var c = Shop(15, 5, 1, 3);
        var without = ForecastTrainer.Train([a[..^6], b[..^6]], Options).Model;
        var with = ForecastTrainer.Train([a[..^6], b[..^6], c], Options).Model;
        // The window had been 2 (the short series' half less the horizon), its forecast of the first shop 1,201 -> 1,078
        // where 1,173 -> 800 followed.
        Assert.True(with.InputWindow >= 12, $"window {with.InputWindow}");
        Assert.True(HeldOutError(with, a) < 1.5 * HeldOutError(without, a), $"{HeldOutError(with, a)} against {HeldOutError(without, a)}");
        Assert.True(HeldOutError(with, b) < 1.5 * HeldOutError(without, b), $"{HeldOutError(with, b)} against {HeldOutError(without, b)}");
        // The short series' own forecast needs the window's values.
        Assert.Throws<ArgumentException>(() => with.Forecast([c]));
    }

    [Fact]
    public void Beside_one_far_shorter_series_a_model_stays_global()
    {
        // The members are fitted on the long series alone, but the model is still one of two series: no step limit, so it
        // tells no glitches (its network and highway were trained on the values as given).
        var model = ForecastTrainer.Train([Shop(100, 1000, 200, 1), Shop(20, 5, 1, 2)], Options).Model;
        Assert.Equal(double.PositiveInfinity, model.Statistics!.Autoregression.StepLimit);
        Assert.Equal(12, model.Statistics.Smoothing.Season);
    }

    [Fact]
    public void A_typo_as_a_historys_first_value_leaves_a_global_models_intervals()
    {
        // A QA pass: the 0.1-0.9 interval of a model of three series was 63 wide from 40 values of the first, 1,078 with its
        // first value 50 times itself.
        var a = Shop(106, 1000, 200, 1);
        var model = ForecastTrainer.Train([a, Shop(66, 50, 10, 2), Shop(15, 5, 1, 3)], Options).Model;
        var history = a[^40..];
        var clean = model.Forecast([history])[0];
        history[0] *= 50;
        var forecast = model.Forecast([history])[0];
        for (int t = 0; t < 6; t++)
        {
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
    }

    [Theory]
    [InlineData(new[] { 100 }, 6, 37)] // one series: half its training part (80) less the horizon, as before
    [InlineData(new[] { 100, 60, 15 }, 6, 21)] // 15 values: a cap of 4, below half the median's 21
    [InlineData(new[] { 100, 60, 40 }, 6, 13)] // 40 values: 13 is no less than half the median's 21, so it caps
    [InlineData(new[] { 15, 15 }, 6, 4)]
    public void The_cap_leaves_out_only_series_far_shorter_than_the_median(int[] lengths, int horizon, int expected)
    {
        var set = SeriesSet.Prepare(lengths.Select((n, i) => new TrainingSeries(Shop(n, 100, 10, (ulong)i))).ToList(), Options with { Horizon = horizon });
        Assert.Equal(expected, ForecastTrainer.WindowCap(set, horizon));
    }
}

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Series;
using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>The log scale is chosen only where its 32-bit floats still resolve the series (<see cref="SeriesTransforms.LogResolves"/>).</summary>
public class LogResolutionTests
{
    static readonly TrainingOptions Options = new() { Horizon = 12, Seed = 5 };

    /// <summary>A monthly season of amplitude 12 in noise of deviation 2 about <paramref name="level"/>.</summary>
    static float[] Sine(double level, int length = 120, ulong seed = 1003)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(level + 12 * Math.Sin(2 * Math.PI * t / 12) + 2 * rng.NextGaussian())).ToArray();
    }

    /// <summary>A season that grows with a rising level: 30% of it, in noise of 3%, from <paramref name="start"/>.</summary>
    static float[] Multiplicative(double start, int length = 120, ulong seed = 7)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => (float)(start * Math.Exp(0.015 * t) * (1 + 0.3 * Math.Sin(2 * Math.PI * t / 12)) * (1 + 0.03 * rng.NextGaussian()))).ToArray();
    }

    static SeriesTransform Chosen(float[] values)
    {
        var set = SeriesSet.Prepare([new TrainingSeries(values)], Options);
        return ForecastTrainer.ChooseTransform(set, Options, ForecastTrainer.Seasons(set, Options));
    }

    [Theory]
    [InlineData(100.0, true)]
    [InlineData(1e5, true)]    // the log's resolution there is 0.1, the mean change about 8
    [InlineData(1e6, false)]   // 0.95: a season of amplitude 12 would be read in steps of about one
    [InlineData(1e7, false)]
    [InlineData(1e8, false)]
    public void A_season_of_fixed_size_is_resolved_on_the_log_scale_only_near_enough_to_zero(double level, bool resolves) =>
        Assert.Equal(resolves, SeriesTransforms.LogResolves(Sine(level)));

    [Theory]
    [InlineData(100.0)]
    [InlineData(1e7)]
    [InlineData(1e12)]
    public void A_season_that_grows_with_its_level_is_resolved_at_any_level(double start)
    {
        Assert.True(SeriesTransforms.LogResolves(Multiplicative(start)));
        Assert.Equal(SeriesTransform.Log, Chosen(Multiplicative(start)));
    }

    [Fact]
    public void Missing_values_and_a_constant_series_are_read_as_they_are()
    {
        var gappy = Sine(1e7);
        for (int t = 0; t < gappy.Length; t += 3) gappy[t] = float.NaN;
        Assert.False(SeriesTransforms.LogResolves(gappy));
        Assert.True(SeriesTransforms.LogResolves([float.NaN, 5f, float.NaN]));
        Assert.False(SeriesTransforms.LogResolves(Enumerable.Repeat(1e7f, 50).ToArray())); // no change at all: the log can only lose
        // One jump from about 10 to about 1e7 is no detail the log resolves: the season after it is read in steps of 19.
        var jump = Sine(10).Concat(Sine(1e7)).ToArray();
        Assert.False(SeriesTransforms.LogResolves(jump));
    }

    [Fact]
    public void A_season_about_ten_million_is_forecast_on_the_plain_scale_with_its_shape_and_intervals()
    {
        // It had been put on the log scale (its AICc is as good): the forecast came in steps of 19 about 1e7 and the
        // intervals had width 0.
        // A coin toss between two near-equal likelihoods: 5 of these 20 series about 1e7 had gone to the log scale.
        foreach (var level in new[] { 1e7, 1e8 })
            Assert.All(Enumerable.Range(0, 20), seed => Assert.Equal(SeriesTransform.None, Chosen(Sine(level, seed: (ulong)seed))));
        var values = Sine(1e7, seed: 1); // one of the five
        var model = ForecastTrainer.Train([values], Options).Model;
        Assert.Equal(SeriesTransform.None, model.Transform);
        var forecast = model.Forecast([values])[0];
        var mean = forecast.Mean;
        var truth = Enumerable.Range(values.Length, 12).Select(t => 1e7 + 12 * Math.Sin(2 * Math.PI * t / 12)).ToArray();
        Assert.True(mean.Select((m, h) => Math.Abs(m - truth[h])).Average() < 4, string.Join(", ", mean.Select(m => m - 1e7)));
        var (low, high) = (forecast.Quantiles[0.1f], forecast.Quantiles[0.9f]);
        Assert.All(Enumerable.Range(0, 12), h => Assert.InRange(high[h] - low[h], 2.0, 40.0));
    }
}

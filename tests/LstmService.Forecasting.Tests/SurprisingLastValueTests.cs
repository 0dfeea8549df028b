using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A last value beyond a glitch's limit from what the members expected cannot be told from a change until the next value
/// comes: the forecast's mean and median read it as given, and its interval reaches the reading of it as expected too.
/// </summary>
public class SurprisingLastValueTests
{
    /// <summary>A monthly season of amplitude 20 about 100 with noise of 3.</summary>
    static float[] Monthly(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => 100 + 20 * MathF.Sin(2 * MathF.PI * t / 12) + 3 * (float)rng.NextGaussian()).ToArray();
    }

    static ForecastModel Train(float[] series, int horizon) =>
        ForecastTrainer.Train([series], new TrainingOptions { Horizon = horizon, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;

    static float[] WithLast(float[] history, float factor)
    {
        var copy = (float[])history.Clone();
        copy[^1] *= factor;
        return copy;
    }

    [Theory]
    [InlineData(50f)] // a typo
    [InlineData(0.1f)] // a tenth of a month's sales
    public void The_interval_reaches_the_forecast_without_the_surprise(float factor)
    {
        var model = Train(Monthly(96, 1), 6);
        var history = Monthly(108, 2);
        var clean = model.Forecast([history])[0];
        var surprised = model.Forecast([WithLast(history, factor)])[0];
        for (int t = 0; t < 6; t++)
        {
            Assert.InRange(clean.Mean[t], surprised.Quantiles[0.1f][t], surprised.Quantiles[0.9f][t]);
            Assert.True(surprised.Quantiles[0.1f][t] <= surprised.Quantiles[0.5f][t] && surprised.Quantiles[0.5f][t] <= surprised.Quantiles[0.9f][t]);
        }
        // The mean and the median read the last value as given: the next step's moved with it.
        Assert.True(factor > 1 ? surprised.Mean[0] > clean.Mean[0] + 10 : surprised.Mean[0] < clean.Mean[0] - 10, "the mean did not read the last value");
        var state = model.NewState(WithLast(history, factor));
        var prepared = model.Prepare(state, null, 6, "series");
        Assert.NotNull(prepared.Alternative);
    }

    [Fact]
    public void An_ordinary_last_value_has_one_reading()
    {
        var model = Train(Monthly(96, 1), 6);
        var history = Monthly(108, 2);
        foreach (float factor in new[] { 1f, 1.1f, 0.9f })
            Assert.Null(model.Prepare(model.NewState(WithLast(history, factor)), null, 6, "series").Alternative);
    }

    [Fact]
    public void A_batch_forecasts_each_series_as_alone_and_a_stream_agrees()
    {
        var model = Train(Monthly(96, 1), 6);
        var histories = new[] { Monthly(100, 3), WithLast(Monthly(108, 2), 50), Monthly(90, 4), WithLast(Monthly(96, 5), 0.1f), Monthly(120, 6) };
        var batch = model.Forecast(histories);
        for (int i = 0; i < histories.Length; i++)
        {
            var alone = model.Forecast([histories[i]])[0];
            Assert.Equal(alone.Mean, batch[i].Mean);
            foreach (var (level, band) in alone.Quantiles) Assert.Equal(band, batch[i].Quantiles[level]);
        }
        // A stream fed the same values forecasts the same bits.
        var stream = model.NewState(histories[1][..60]);
        foreach (var v in histories[1][60..]) model.Append(stream, v);
        var fromStream = model.Forecast(stream);
        Assert.Equal(batch[1].Mean, fromStream.Mean);
        Assert.Equal(batch[1].Quantiles[0.1f], fromStream.Quantiles[0.1f]);
        Assert.Equal(batch[1].Quantiles[0.9f], fromStream.Quantiles[0.9f]);
    }

    [Fact]
    public void The_next_value_settles_the_reading()
    {
        // Back at the level after it, the surprise was a glitch: it is read as expected, and the interval is the clean one's
        // width again.
        var model = Train(Monthly(96, 1), 6);
        var history = Monthly(109, 2);
        var clean = model.Forecast([history])[0];
        var glitched = (float[])history.Clone();
        glitched[^2] *= 50;
        var forecast = model.Forecast([glitched])[0];
        for (int t = 0; t < 6; t++)
        {
            float width = forecast.Quantiles[0.9f][t] - forecast.Quantiles[0.1f][t], cleanWidth = clean.Quantiles[0.9f][t] - clean.Quantiles[0.1f][t];
            Assert.InRange(width, 0.8f * cleanWidth, 1.25f * cleanWidth);
        }
    }
}

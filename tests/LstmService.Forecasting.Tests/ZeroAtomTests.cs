using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;
using LstmService.Kernels;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// Counts that are zero more often than a quantile level's share: the quantile is zero, not a few thousandths above it.
/// A QA pass saw Poisson counts of mean 0.5 get 0.1 quantiles of 0.002-0.005 (every zero outside the interval) and 0.9
/// quantiles of 0.99, 0.55 of the values inside the 0.1-0.9 interval.
/// </summary>
public class ZeroAtomTests
{
    /// <summary>A Poisson count of mean <paramref name="rate"/> (Knuth's product of uniforms).</summary>
    static float Poisson(SeededRandom rng, double rate)
    {
        double limit = Math.Exp(-rate), product = 1;
        int k = -1;
        do { k++; product *= rng.NextFloat(); } while (product > limit);
        return k;
    }

    [Fact]
    public void Counts_mostly_zero_get_quantiles_at_zero_and_an_interval_that_holds_the_zeros()
    {
        var rng = new SeededRandom(4);
        var counts = Enumerable.Range(0, 400).Select(_ => Poisson(rng, 0.5)).ToArray();
        var model = ForecastTrainer.Train([new TrainingSeries(counts)], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42 }).Model;

        // From 30 origins past the training part, 7 fresh counts each.
        int inside = 0, zeros = 0, total = 0;
        var history = counts.ToList();
        for (int origin = 0; origin < 30; origin++)
        {
            var forecast = model.Forecast([new ForecastInput(history.ToArray())])[0];
            for (int t = 0; t < 7; t++, total++)
            {
                float value = Poisson(rng, 0.5);
                Assert.Equal(0f, forecast.Quantiles[0.1f][t]);
                if (value == 0) zeros++;
                if (forecast.Quantiles[0.1f][t] <= value && value <= forecast.Quantiles[0.9f][t]) inside++;
            }
            for (int k = 0; k < 7; k++) history.Add(Poisson(rng, 0.5));
        }
        Assert.True(zeros > total / 2, $"{zeros} zeros of {total}");
        Assert.True(inside >= zeros, $"{inside} of {total} inside, {zeros} zeros");
    }

    [Fact]
    public void A_series_without_zeros_and_one_that_may_go_negative_keep_their_quantiles()
    {
        var rng = new SeededRandom(5);
        var positive = Enumerable.Range(0, 200).Select(_ => 1 + Poisson(rng, 0.5)).ToArray();
        var model = ForecastTrainer.Train([new TrainingSeries(positive)], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42 }).Model;
        var forecast = model.Forecast([new ForecastInput(positive)])[0];
        Assert.All(forecast.Quantiles[0.1f], q => Assert.True(q > 0.5f, $"0.1 quantile {q}"));

        // Zeros among negative values: no clamp at zero, so no atom either (the 0.1 quantile lies below zero).
        var signed = Enumerable.Range(0, 200).Select(t => t % 3 == 0 ? 0f : (float)rng.NextGaussian()).ToArray();
        var free = ForecastTrainer.Train([new TrainingSeries(signed)], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 3, Ensemble = 1, Seed = 42 }).Model;
        Assert.All(free.Forecast([new ForecastInput(signed)])[0].Quantiles[0.1f], q => Assert.True(q < 0, $"0.1 quantile {q}"));
    }
}

using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>A short series' in-sample residuals widened by Akaike's final prediction error before they set its intervals.</summary>
public class FinalPredictionErrorTests
{
    [Fact]
    public void TheFactorIsAkaikesRatioCappedWhereParametersReachTheValues()
    {
        Assert.Equal(1, FinalPredictionError.Factor(100, 0), 12);
        Assert.Equal(Math.Sqrt(45.0 / 13), FinalPredictionError.Factor(29, 16), 12);
        Assert.Equal(Math.Sqrt(1010.0 / 990), FinalPredictionError.Factor(1000, 10), 12);
        Assert.Equal(FinalPredictionError.MaxFactor, FinalPredictionError.Factor(20, 19), 12);
        Assert.Equal(FinalPredictionError.MaxFactor, FinalPredictionError.Factor(10, 12), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => FinalPredictionError.Factor(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => FinalPredictionError.Factor(10, double.NaN));
    }

    [Fact]
    public void TheMixCountsEachForecastersParametersByItsWeight()
    {
        var series = Enumerable.Range(0, 48).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 12) + (t % 5)).ToArray();
        var statistics = StatisticalEnsemble.Fit([series], [12]);
        int smoothing = statistics.Smoothing.ParameterCount, theta = statistics.Theta.ParameterCount, autoregression = statistics.Autoregression.ParameterCount;
        Assert.Equal(smoothing, FinalPredictionError.MixParameters(statistics, null, [0, 1, 0, 0]), 6);
        Assert.Equal(autoregression, FinalPredictionError.MixParameters(statistics, null, [0, 0, 0, 1]), 6);
        // A silenced network forecasts the members' mean: it counts as their average.
        Assert.Equal((smoothing + theta + autoregression) / 3.0, FinalPredictionError.MixParameters(statistics, null, [1, 0, 0, 0]), 5);
        Assert.Equal(0.5 * smoothing + 0.5 * theta, FinalPredictionError.MixParameters(statistics, null, [0, 0.5f, 0.5f, 0]), 5);
        Assert.Throws<ArgumentException>(() => FinalPredictionError.MixParameters(statistics, null, [0.2f, 0.2f, 0.2f, 0.2f, 0.2f]));
    }

    [Fact]
    public void AShortSeasonalSeriesIntervalsCoverWhatFollows()
    {
        // Four years of a monthly season with Gaussian noise: a seasonal smoothing fitted on them has 14 or more parameters for
        // 38 values, its training windows' residuals are narrower than the noise, and intervals from them alone covered 0.70
        // of what followed. Widened by the final prediction error they cover 0.74 (the test's threshold lies between).
        var options = new TrainingOptions { Horizon = 4, HiddenSize = 6, Epochs = 2, Patience = 1, Ensemble = 1, Seed = 5, Transform = SeriesTransform.None };
        int inside = 0, total = 0;
        foreach (ulong seed in new ulong[] { 21, 22, 23, 24, 25, 26 })
        {
            var rng = new SeededRandom(seed);
            var series = Enumerable.Range(0, 48 + 300).Select(t => (float)(100 + 10 * Math.Sin(2 * Math.PI * t / 12) + 2 * rng.NextGaussian())).ToArray();
            var model = ForecastTrainer.Train([series[..48]], options with { SeasonLength = 12 }).Model;
            var histories = Enumerable.Range(48, 300 - 4).Where(o => o % 4 == 0).Select(o => series[..o]).ToList();
            var forecasts = model.Forecast(histories);
            for (int k = 0; k < histories.Count; k++)
                for (int t = 0; t < 4; t++)
                {
                    float actual = series[histories[k].Length + t];
                    inside += actual >= forecasts[k].Quantiles[0.1f][t] && actual <= forecasts[k].Quantiles[0.9f][t] ? 1 : 0;
                    total++;
                }
        }
        Assert.InRange((double)inside / total, 0.72, 0.92);
    }
}

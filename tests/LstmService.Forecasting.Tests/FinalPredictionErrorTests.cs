using LstmService.Forecasting.Models;
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
    public void EachForecasterCountsWhatItEstimates()
    {
        // As R's ets counts them: α, β, γ, the level, the slope and 11 free seasonal states.
        Assert.Equal(16, new ExponentialSmoothing(trend: true, damped: false, season: 12, 0.3, 0.1, 0.1, 1).ParameterCount);
        Assert.Equal(2, new ExponentialSmoothing(trend: false, damped: false, season: 1, 0.3, 0, 0, 1).ParameterCount);
        // Theta: α, the level, the drift, and 11 free seasonal indices when seasonal.
        Assert.Equal(14, new ThetaMethod(0.5, 12, multiplicative: true).ParameterCount);
        Assert.Equal(3, new ThetaMethod(0.5, 1, multiplicative: false).ParameterCount);
        // The autoregression: a coefficient per lag and the mean; the highway: its largest AR model's weights and intercept.
        Assert.Equal(4, new DifferencedAutoregression([1, 2, 12], [0.5, 0.1, 0.3]).ParameterCount);
        Assert.Equal(5, new LinearHighway(relative: false, [[0.1f, 0.2f, 0.3f, 0.4f, 1f], [0.5f, 1f]]).ParameterCount);
    }

    [Fact]
    public void TheMixCountsEachForecastersParametersByItsWeight()
    {
        var statistics = new StatisticalEnsemble(new ExponentialSmoothing(true, false, 12, 0.3, 0.1, 0.1, 1), new ThetaMethod(0.5, 12, false),
            new DifferencedAutoregression([1, 2, 12], [0.5, 0.1, 0.3]), [0.25f, 0.25f, 0.25f, 0.25f]);
        var highway = new LinearHighway(relative: true, [[0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f]]);
        Assert.Equal(16, FinalPredictionError.MixParameters(statistics, null, [0, 1, 0, 0]), 6);
        Assert.Equal(4, FinalPredictionError.MixParameters(statistics, null, [0, 0, 0, 1]), 6);
        Assert.Equal(6, FinalPredictionError.MixParameters(statistics, highway, [0, 0, 0, 0, 1]), 6);
        // The silenced network forecasts the members' mean: it counts as their average.
        Assert.Equal((16 + 14 + 4) / 3.0, FinalPredictionError.MixParameters(statistics, null, [1, 0, 0, 0]), 5);
        Assert.Equal((16 + 14 + 4 + 6) / 4.0, FinalPredictionError.MixParameters(statistics, highway, [1, 0, 0, 0, 0]), 5);
        Assert.Equal(0.5 * 16 + 0.5 * 14, FinalPredictionError.MixParameters(statistics, null, [0, 0.5f, 0.5f, 0]), 5);
        Assert.Throws<ArgumentException>(() => FinalPredictionError.MixParameters(statistics, null, [0.2f, 0.2f, 0.2f, 0.2f, 0.2f]));
    }

    [Fact]
    public void WideningKeepsTheResidualsMedianAndLeavesTheValidationOnesAlone()
    {
        // Three training residuals (factors 2) around their median 1, then two validation residuals the factors do not reach.
        var residuals = new List<float> { 0, 1, 3, 10, -10 };
        FinalPredictionError.Widen(residuals, [2, 2, 2]);
        Assert.Equal([-1f, 1f, 5f, 10f, -10f], residuals);
        var untouched = new List<float> { 4, 5 };
        FinalPredictionError.Widen(untouched, []);
        Assert.Equal([4f, 5f], untouched);
    }

    [Fact]
    public void AShortSeasonalSeriesIntervalsCoverWhatFollows()
    {
        // Four years of a monthly season with Gaussian noise: a seasonal smoothing fitted on them has 14 or more parameters for
        // 38 values, its training windows' residuals are narrower than the noise, and intervals from them alone covered 0.70
        // of what followed. Widened by the final prediction error they cover more (the threshold lies between).
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

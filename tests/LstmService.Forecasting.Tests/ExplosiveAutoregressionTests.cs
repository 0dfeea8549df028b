using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The autoregression member keeps no explosive fit: a glitch as the last value of a short seasonal series had made one
/// that forecast 1e33 eleven steps on (on the log scale, from values about 100).
/// </summary>
public class ExplosiveAutoregressionTests
{
    [Fact]
    public void TellsExplosiveRecursionsFromStationaryOnesAndSeasonalUnitRoots()
    {
        Assert.False(DifferencedAutoregression.Explosive([1], [0.9]));
        Assert.False(DifferencedAutoregression.Explosive([1, 2], [1.2, -0.5]));         // complex roots inside the unit circle
        Assert.False(DifferencedAutoregression.Explosive([12], [1.0]));                 // a season repeated for ever
        Assert.False(DifferencedAutoregression.Explosive([1, 2, 3, 4], [-1, -1, -1, 0])); // the seasonal summation 1 + B + B² + B³
        Assert.False(DifferencedAutoregression.Explosive([4], [1.01]));                 // a season that grows slowly
        Assert.True(DifferencedAutoregression.Explosive([1], [1.2]));
        Assert.True(DifferencedAutoregression.Explosive([1, 2], [0.5, 0.9]));           // a root of 1.22
        Assert.True(DifferencedAutoregression.Explosive([1, 3, 7], [-0.7, 1.6, -2.3]));
        Assert.False(DifferencedAutoregression.Explosive([], []));
    }

    /// <summary>Six years of a monthly season about 100 with noise, the last value a glitch of 600.</summary>
    static float[] MonthlyWithGlitch(ulong seed)
    {
        var rng = new SeededRandom(seed);
        var y = Enumerable.Range(0, 71).Select(t => (float)(100 + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * rng.NextGaussian())).ToList();
        y.Add(600);
        return [.. y];
    }

    [Theory]
    [InlineData(7ul)]
    [InlineData(8ul)]
    [InlineData(9ul)]
    public void AGlitchAsTheLastValueLeavesNoExplosiveFit(ulong seed)
    {
        var trained = ForecastTrainer.Train([MonthlyWithGlitch(seed)], new TrainingOptions { Horizon = 12 });
        var ar = trained.Model.Statistics!.Autoregression;
        Assert.False(DifferencedAutoregression.Explosive(ar.Lags, ar.Coefficients), $"lags {string.Join(",", ar.Lags)}");
        var highway = trained.Model.Highway!;
        Assert.All(highway.Coefficients, c => Assert.False(LstmService.Forecasting.Models.LinearHighway.Explosive(c, highway.Relative)));
    }

    [Theory]
    [InlineData(8ul)] // the highway's fit had forecast 3,110 (the mix 865, its 0.9 quantile 1,236)
    [InlineData(9ul)] // 2,974 (the mix 837)
    public void AGlitchAsTheLastValueGivesAForecastBetweenTheSeasonAndIt(ulong seed)
    {
        // Seed 7's smoothing reads the glitch as a trend on the log scale and still runs away: the README says so.
        var y = MonthlyWithGlitch(seed);
        var forecast = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 12 }).Model.Forecast([y])[0];
        foreach (var values in forecast.Quantiles.Values.Append(forecast.Mean))
            Assert.All(values, v => Assert.InRange(v, 0f, 700f));
    }
}

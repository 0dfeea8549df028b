using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// Two years of monthly values, two to two and a half periods of their season: the season is found by its strength, theta
/// repeats it from two periods, and it alone carries the forecast where no other member can. A QA pass had seen such a
/// history forecast without its season, at 3.2 times a seasonal naive forecast's error.
/// </summary>
public class TwoPeriodSeasonTests
{
    /// <summary>A rising level and a yearly season of amplitude 30, without noise.</summary>
    static float Truth(int t) => 100 + 0.3f * t + 30 * MathF.Sin(2 * MathF.PI * t / 12);

    static float[] Months(int length, ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, length).Select(t => Truth(t) + 3 * (float)rng.NextGaussian()).ToArray();
    }

    [Theory]
    [InlineData(24, 12, true, 0.65)] // nothing held out: every member is fitted on the two years
    [InlineData(24, 6, true, 0.65)]  // a validation part held out: theta gets the season once fitted again on the whole series
    [InlineData(27, 6, true, 0.65)]
    // A training part of 2 to 2.5 periods and a whole series of more (a review): the held-out theta took the season untested,
    // and its refit, testing it again, had dropped it under its weight (30 off where the season swings by 60). Under three
    // periods a season strong over the periods' trend is theta's alone too.
    // (30 values with a horizon of 6: the model told there is no season repeats a smooth one through its autoregression and
    // highway, fitted on 24 values, nearly as well.)
    [InlineData(30, 6, true, 1.1)]
    [InlineData(33, 6, false, 0.65)]
    [InlineData(38, 12, false, 0.65)]
    public void TwoYearsOfMonthsAreForecastWithTheirSeason(int length, int horizon, bool thetaAlone, double ofWithoutSeason)
    {
        double error = 0, withoutSeason = 0, seasonalNaive = 0, width = 0;
        int covered = 0;
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var rng = new SeededRandom(seed);
            var values = Enumerable.Range(0, length + horizon).Select(t => Truth(t) + 3 * (float)rng.NextGaussian()).ToArray();
            var y = values[..length];
            var options = new TrainingOptions { Horizon = horizon, HiddenSize = 4, Ensemble = 1, Epochs = 2 };
            var model = ForecastTrainer.Train([y], options).Model;
            Assert.Equal(12, model.SeasonLength);
            Assert.Equal(12, model.Statistics!.Theta.Season);
            if (thetaAlone) Assert.Equal(1f, model.Statistics.Weights[StatisticalEnsemble.ThetaWeight]); // the one member that repeats it
            var flat = ForecastTrainer.Train([y], options with { SeasonLength = 1 }).Model;
            var forecast = model.Forecast([y])[0];
            var flatMean = flat.Forecast([y])[0].Mean.ToArray();
            for (int h = 0; h < horizon; h++)
            {
                error += Math.Abs(forecast.Mean[h] - Truth(length + h));
                withoutSeason += Math.Abs(flatMean[h] - Truth(length + h));
                seasonalNaive += Math.Abs(y[length + h - 12] - Truth(length + h));
                float low = forecast.Quantiles[0.1f][h], high = forecast.Quantiles[0.9f][h];
                width += high - low;
                if (values[length + h] >= low && values[length + h] <= high) covered++;
            }
        }
        // Measured (mean absolute errors over five series; without the season; the seasonal naive forecast's): 24 values,
        // horizon 12: 3.1, 7.0, 4.4; horizon 6: 2.9, 13.2, 3.7; 27 values, horizon 6: 2.8, 6.3, 4.9; 30 values, horizon 6:
        // 3.4, 3.5 (the autoregression and the highway repeat a smooth season from 24 values), 5.0; 33 values, horizon 6:
        // 3.6, 10.2, 4.7; 38 values, horizon 12: 2.1, 7.5, 3.8. (With the decomposition's index, one value per phase in two
        // years, 24 values had given 3.9 and 4.0.)
        Assert.True(error < 1.25 * seasonalNaive, $"Mean absolute error {error:F1}, the seasonal naive forecast's {seasonalNaive:F1}.");
        Assert.True(error < ofWithoutSeason * withoutSeason, $"Mean absolute error {error:F1}, without the season {withoutSeason:F1}.");
        // The 0.1-0.9 interval: the noise alone would make it 7.7 wide, the season swings by 60. Measured 11-16 wide, covering
        // 67-90% (it had been 97-161 wide with a horizon of 6, theta's held-out residuals the season's swing, in units of
        // its disagreement with members that cannot repeat the season).
        int points = 5 * horizon;
        Assert.InRange(width / points, 7.7, 30);
        Assert.True(covered >= 0.6 * points, $"{covered} of {points} values within the 0.1-0.9 interval.");
    }

    [Fact]
    public void AHistoryShorterThanTwoPeriodsIsRefusedWhereThetaAloneRepeatsTheSeason()
    {
        // Theta's index needs both years: a shorter history had been forecast as a trend run on from the last peak. A stream's
        // state (an import, the drift monitor's comparison of a challenger) is checked as a one-off history is.
        var y = Months(24, 1);
        var model = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 12, HiddenSize = 4, Ensemble = 1, Epochs = 2 }).Model;
        Assert.True(model.InputWindow < 23, $"inputWindow {model.InputWindow}");
        Assert.Equal(24, model.MinimumHistory);
        Assert.Null(model.ForecastProblem(model.NewState(y)));
        Assert.Contains("needs two periods (24 values)", model.ForecastProblem(model.NewState(y[1..])));
        // Without the season its window is the minimum.
        var flat = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 12, HiddenSize = 4, Ensemble = 1, Epochs = 2, SeasonLength = 1 }).Model;
        Assert.Equal(flat.InputWindow, flat.MinimumHistory);
    }

    [Fact]
    public void TwoYearsOfNoiseKeepTheMix()
    {
        var rng = new SeededRandom(3);
        var y = Enumerable.Range(0, 24).Select(_ => 100 + 3 * (float)rng.NextGaussian()).ToArray();
        var model = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 12, HiddenSize = 4, Ensemble = 1, Epochs = 2 }).Model;
        Assert.Equal(1, model.SeasonLength);
        Assert.True(model.Statistics!.Weights[StatisticalEnsemble.ThetaWeight] < 0.5f, $"Theta's weight {model.Statistics.Weights[StatisticalEnsemble.ThetaWeight]}.");
    }

    [Fact]
    public void ThetaRepeatsASeasonFromTwoPeriodsInAStreamAsInOneForecast()
    {
        var history = Enumerable.Range(0, 24).Select(t => (double)Truth(t)).ToArray();
        // Two periods: R's autocorrelation test cannot pass the season, the season found counts.
        Assert.Equal(12, ThetaMethod.SeasonOf([history], 12));
        Assert.Equal(1, ThetaMethod.SeasonOf([history[..23]], 12));
        var ensemble = StatisticalEnsemble.Fit([history], [12]);
        Assert.Equal(12, ensemble.Theta.Season);
        Assert.Equal(1, ensemble.Smoothing.Season); // 26 values are the smoothing's least for a season of 12
        var (whole, streamed) = MemberForecastPair.Of(ensemble, history, 12);
        Assert.Equal(whole, streamed);

        // Theta's forecast (the second member's steps) follows the season: within 4 of the truth where the season swings by 60.
        for (int h = 0; h < 12; h++) Assert.InRange(whole[12 + h], Truth(24 + h) - 4, Truth(24 + h) + 4);
    }
}

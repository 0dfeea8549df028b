using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The refit on all the data keeps the smoothing shape that was chosen with the validation part held out (the weights and
/// the intervals were fitted for it), so one odd value at the end cannot turn it into a runaway trend.
/// </summary>
public class StatisticalRefitTests
{
    /// <summary>Six years of a monthly season about 100 with noise (on the log scale), the last value a glitch of 600.</summary>
    static double[] LoggedMonthlyWithGlitch(ulong seed)
    {
        var rng = new SeededRandom(seed);
        var y = Enumerable.Range(0, 71).Select(t => Math.Log(100 + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * rng.NextGaussian())).ToList();
        y.Add(Math.Log(600));
        return [.. y];
    }

    [Fact]
    public void TheRefitKeepsTheHeldOutShapeWhereChoosingAgainWouldTakeATrend()
    {
        // Since the smoothing is fitted on its next three forecasts' errors, few draws take a trend when chosen again (12 of
        // seeds 1-200), and their trend runs to about 1,000-1,400 a year on rather than the 1e5 and more of one-step fits.
        var y = LoggedMonthlyWithGlitch(11);
        var heldOut = StatisticalEnsemble.Fit([y[..57]], [12]).WithWeights([0.1f, 0.2f, 0.3f, 0.4f]).WithIntervalSpread(1);
        var chosenAgain = StatisticalEnsemble.Fit([y], [12]);
        var refit = heldOut.Refit([y], [12]);

        Assert.False(heldOut.Smoothing.Trend);
        Assert.True(chosenAgain.Smoothing.Trend, chosenAgain.Smoothing.Name); // the glitch reads as a trend
        Assert.Equal(heldOut.Smoothing.Name, refit.Smoothing.Name);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], refit.Weights);
        Assert.Equal(1, refit.IntervalSpread);

        var forecast = new double[StatisticalEnsemble.MemberCount * 12];
        refit.Forecast(y, 12, forecast);
        // The smoothing's year ahead: the season about a level the glitch moved, not a trend.
        Assert.All(forecast[..12], v => Assert.InRange(Math.Exp(v), 50, 1_000));
        double kept = Math.Exp(forecast[..12].Max());
        chosenAgain.Forecast(y, 12, forecast);
        Assert.True(Math.Exp(forecast[11]) > Math.Max(1_000, kept), $"{Math.Exp(forecast[11])} against {kept}");
    }

    [Fact]
    public void TheTrainersRefitKeepsTheShapeItsWeightsWereFittedFor()
    {
        var y = Array.ConvertAll(LoggedMonthlyWithGlitch(7), v => (float)Math.Exp(v));
        var model = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 12 }).Model;
        Assert.Equal(SeriesTransform.Log, model.Transform); // the members read the logs
        var smoothing = model.Statistics!.Smoothing;
        Assert.False(smoothing.Trend, smoothing.Name);
        var members = new double[StatisticalEnsemble.MemberCount * 12];
        model.Statistics.Forecast(Array.ConvertAll(y, v => Math.Log(v)), 12, members);
        Assert.All(members[..12], v => Assert.InRange(Math.Exp(v), 50, 700));
    }
}

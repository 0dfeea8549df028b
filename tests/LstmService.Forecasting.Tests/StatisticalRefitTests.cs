using LstmService.Forecasting.Statistics;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// The refit on all the data keeps the smoothing shape that was chosen with the validation part held out (the weights and
/// the intervals were fitted for it), so what the last values do (a glitch, a climb the validation part held) cannot turn it
/// into a runaway trend.
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

    /// <summary>Five years of a monthly season about 100 with noise (on the log scale), then a year climbing 6% a month.</summary>
    static double[] LoggedMonthlyEndingInAClimb(ulong seed)
    {
        var rng = new SeededRandom(seed);
        return Enumerable.Range(0, 72).Select(t => Math.Log((100 + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * rng.NextGaussian()) * Math.Pow(1.06, Math.Max(0, t - 59)))).ToArray();
    }

    [Fact]
    public void TheRefitKeepsTheHeldOutShapeWhereChoosingAgainWouldTakeATrend()
    {
        // A glitch as the last value (below) no longer makes the smoothing chosen again a trend since it is fitted robustly on
        // three-step errors (none of seeds 1-200 did; one-step fits had forecast 7e12 a year on); a year's climb does.
        var y = LoggedMonthlyEndingInAClimb(7);
        var heldOut = StatisticalEnsemble.Fit([y[..57]], [12]).WithWeights([0.1f, 0.2f, 0.3f, 0.4f]).WithIntervalSpread(1);
        var chosenAgain = StatisticalEnsemble.Fit([y], [12]);
        var refit = heldOut.Refit([y], [12]);

        Assert.False(heldOut.Smoothing.Trend);
        Assert.True(chosenAgain.Smoothing.Trend, chosenAgain.Smoothing.Name); // the climb reads as a trend
        Assert.Equal(heldOut.Smoothing.Name, refit.Smoothing.Name);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], refit.Weights);
        Assert.Equal(1, refit.IntervalSpread);

        var forecast = new double[StatisticalEnsemble.MemberCount * 12];
        refit.Forecast(y, 12, forecast);
        // The smoothing's year ahead: the season about the level the climb reached, not a trend that goes on climbing.
        double kept = Math.Exp(forecast[..12].Max());
        chosenAgain.Forecast(y, 12, forecast);
        Assert.True(Math.Exp(forecast[11]) > 1.3 * kept, $"{Math.Exp(forecast[11])} against {kept}");
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

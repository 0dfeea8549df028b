using LstmService.Forecasting.Evaluation;
using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// Intervals that the training windows alone cannot set: a history every forecaster fits exactly (then a jump they read
/// apart) and a history of three values. Both had given intervals of zero width or a median below every observation.
/// </summary>
public class IntervalFloorTests
{
    [Theory]
    [InlineData(0.9f, 0f, 2f, 0.5f * 1.2816f * 2f)]   // no calibrated width: the floor
    [InlineData(0.1f, 0f, 2f, -0.5f * 1.2816f * 2f)]
    [InlineData(0.9f, 5f, 2f, 5f)]                    // wider than the floor: kept
    [InlineData(0.1f, -5f, 2f, -5f)]
    [InlineData(0.9f, -1f, 2f, 0.5f * 1.2816f * 2f)]  // on the wrong side of the mean: moved out to the floor
    [InlineData(0.5f, 0.3f, 2f, 0.3f)]                // the median has no floor
    [InlineData(0.9f, 0.2f, 0f, 0.2f)]                // no disagreement: nothing to floor at
    public void AQuantileLiesAtLeastHalfTheDisagreementsNormalReachFromTheMean(float tau, float offset, float spread, float expected) =>
        Assert.Equal(expected, ForecastModel.SpreadQuantileFloor(offset, tau, spread), 3);

    [Fact]
    public void AFlatHistoryThatJumpsGetsAnIntervalAsWideAsTheForecastersDisagree()
    {
        // Every training window of 39 fives is fitted exactly, so the calibrated offsets are zero; the members read the
        // jump to 50 anywhere from 5 to 50.
        float[] y = [.. Enumerable.Repeat(5f, 39), 50f];
        var forecast = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 6 }).Model.Forecast([y])[0];
        for (int t = 0; t < 6; t++)
        {
            float low = forecast.Quantiles[0.1f][t], high = forecast.Quantiles[0.9f][t];
            Assert.True(high - low > 5, $"step {t}: [{low}, {high}] around {forecast.Mean[t]}");
            Assert.InRange(forecast.Mean[t], low, high);
        }
    }

    [Theory]
    [InlineData(1f, 50f)]      // 39 fives, then 50, one step ahead: a 0.9 quantile of 783,700
    [InlineData(2f, 50f)]      // two steps: 86,150
    [InlineData(1f, 6f)]       // a jump of one: 392.6
    public void AFlatTrainingPartThenAJumpKeepsItsIntervalWithinTenTimesTheJump(float horizon, float last)
    {
        float[] y = [.. Enumerable.Repeat(5f, 39), last];
        var forecast = ForecastTrainer.Train([y], new TrainingOptions { Horizon = (int)horizon }).Model.Forecast([y])[0];
        float jump = last - 5;
        foreach (var values in forecast.Quantiles.Values)
            Assert.All(values, v => Assert.InRange(v, 5 - 10 * jump, last + 10 * jump));
    }

    [Fact]
    public void OffsetsAreConvertedToTheWholeSeriesUnitsOnlyWhereTheTrainingPartBarelyMoved()
    {
        var model = ForecastTrainer.Train([Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i)).ToArray()], new TrainingOptions { Horizon = 2 }).Model;
        float[] calibration = [-2, -1, 0, 0, 1, 2];
        Assert.Same(model, ForecastTrainer.InUnitsOfTheWholeSeries(model, calibration, 0.5f, 1f));
        Assert.Same(model, ForecastTrainer.InUnitsOfTheWholeSeries(model, calibration, 1f, 0f)); // no ratio to take
        var converted = ForecastTrainer.InUnitsOfTheWholeSeries(model, calibration, 0.01f, 1f);
        Assert.Equal([-0.02f, -0.01f, 0, 0, 0.01f, 0.02f], converted.Calibration!);
    }

    [Fact]
    public void AFewResidualsGiveSymmetricOffsetsAndAZeroMedianOne()
    {
        float[] residuals = [-3, 1, 2];
        Assert.Equal(0, Conformal.SymmetricOffset(residuals, 0.5));
        double high = Conformal.SymmetricOffset(residuals, 0.9), low = Conformal.SymmetricOffset(residuals, 0.1);
        Assert.Equal(-high, low, 6);
        // The 0.8 · 4/3 level of the magnitudes 1, 2, 3 is beyond the largest: the largest.
        Assert.Equal(3, high, 6);
        Assert.Equal(-5.95, Conformal.SymmetricOffset([1, 2, 3, 4, 5, -6, 7, 8, 9, 10], 0.25), 5); // level 0.5 · 11/10 = 0.55: 95% of the way from 5 to 6
        Assert.Throws<ArgumentException>(() => Conformal.SymmetricOffset([], 0.9));
    }

    [Fact]
    public void ASeriesOfThreeValuesHasItsMedianAtItsMeanInsideTheInterval()
    {
        // One residual had set every offset: the median 9.999 below the three values, the 0.9 quantile at the mean.
        float[] y = [12, 15, 11];
        var forecast = ForecastTrainer.Train([y], new TrainingOptions { Horizon = 1 }).Model.Forecast([y])[0];
        float mean = forecast.Mean[0];
        Assert.Equal(mean, forecast.Quantiles[0.5f][0], 4);
        Assert.True(forecast.Quantiles[0.1f][0] < mean && mean < forecast.Quantiles[0.9f][0],
            $"{forecast.Quantiles[0.1f][0]} < {mean} < {forecast.Quantiles[0.9f][0]}");
    }
}

using LstmService.Forecasting.Models;
using LstmService.Forecasting.Streaming;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>Streamed values scored against the forecasts made for them, and the anomaly interval, on numbers checked by hand.</summary>
public class OnlineScoringTests
{
    [Fact]
    public void A_value_is_scored_against_every_forecast_covering_it_and_flagged_by_the_latest()
    {
        // Two forecasts: after 10 values (steps for values 10, 11, 12) and after 11 values (11, 12, 13); one pair 0.1-0.9.
        var early = new IssuedForecast(10, [5f, 6f, 7f], [[4f, 5f, 6f], [6f, 7f, 8f]], [3f, 4f, 5f], [7f, 8f, 9f]);
        var late = new IssuedForecast(11, [6.5f, 7.5f, 8.5f], [[6f, 7f, 8f], [8f, 9f, 10f]], [5.9f, 6.9f, 7.9f], [7.1f, 8.1f, 9.1f]);
        var (scores, anomaly) = OnlineScoring.Score([early, late], index: 12, actual: 8.5f, naiveScale: 2);

        Assert.Equal(2, scores.Count);
        var fromEarly = scores.Single(s => s.Step == 3);
        Assert.Equal(1.5, fromEarly.AbsoluteError);               // |7 - 8.5|
        Assert.Equal(2.25, fromEarly.SquaredError);
        Assert.Equal(0.75, fromEarly.ScaledError);                // 1.5 / 2
        Assert.Equal(2 * 1.5 / (8.5 + 7), fromEarly.Smape!.Value, 12);
        Assert.Equal(0, fromEarly.Hits);                          // 8.5 outside [6, 8]
        var fromLate = scores.Single(s => s.Step == 2);
        Assert.Equal(1.0, fromLate.AbsoluteError);                // |7.5 - 8.5|
        Assert.Equal(1, fromLate.Hits);                           // inside [7, 9]
        // The latest forecast (2 steps ahead) bounds it by [6.9, 8.1]: 8.5 is an anomaly there, though not for the older one.
        Assert.NotNull(anomaly);
        Assert.Equal((12, 2, 6.9f, 8.1f), (anomaly!.Index, anomaly.Step, anomaly.Lower, anomaly.Upper));

        var (none, quiet) = OnlineScoring.Score([early, late], index: 14, actual: 1f, naiveScale: 2);
        Assert.Empty(none);                                       // no forecast covers value 14
        Assert.Null(quiet);
    }

    [Fact]
    public void The_anomaly_interval_extends_the_calibrated_pair_with_a_normal_shape()
    {
        Assert.Equal(2.3263478740, AnomalyInterval.NormalQuantile(0.99), 7);
        Assert.Equal(-1.2815515655, AnomalyInterval.NormalQuantile(0.1), 7);
        var model = ForecastTrainer.Train([Enumerable.Range(0, 120).Select(t => (float)Math.Sin(t / 3.0) - 5f).ToArray()],
            new TrainingOptions { InputWindow = 12, Horizon = 2, HiddenSize = 4, Epochs = 2, Ensemble = 1, NonNegative = false }).Model;
        var forecast = new SeriesForecast([0f, 0f], new Dictionary<float, float[]> { [0.1f] = [-1f, -2f], [0.5f] = [0f, 0f], [0.9f] = [3f, 2f] });
        var (lower, upper) = AnomalyInterval.Of(model, forecast, 0.01f, 0.99f)!.Value;
        // Step 1: centre 1, spread 4 / (2 x 1.28155) = 1.56061; 1 ± 2.32635 x 1.56061.
        double sigma = 4 / (2 * 1.2815515655);
        Assert.Equal(1 - 2.3263478740 * sigma, lower[0], 4);
        Assert.Equal(1 + 2.3263478740 * sigma, upper[0], 4);
        Assert.Equal(0 - 2.3263478740 * sigma, lower[1], 4);
        // A level the model has is used as it is.
        var exact = AnomalyInterval.Of(model, forecast, 0.1f, 0.9f)!.Value;
        Assert.Equal([-1f, -2f], exact.Lower);
        Assert.Equal([3f, 2f], exact.Upper);
        // A version with an upperBound: the extension stops at it, as the quantiles do (it had lain a little above).
        var (_, bounded) = AnomalyInterval.Of(model.WithUpperBound(4f), forecast, 0.01f, 0.99f)!.Value;
        Assert.Equal(4f, bounded[0]);   // 4.63 unbounded
        Assert.Equal(upper[1], bounded[1]); // 3.63, under it
    }
}

using LstmService.Forecasting.Training;
using LstmService.TestSupport;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// A model trained on a positive series forecasts a later history that ends in zeros (a shop closed, a product
/// discontinued, a sensor down), and a stream records them: a QA pass saw such a history answered with an overflow that
/// was none (theta's multiplicative season divided 0 by 0), and a stream refuse its seventh zero.
/// </summary>
public class ZeroHistoryTests
{
    [Fact]
    public void A_history_ending_in_zeros_is_forecast_and_streamed()
    {
        var rng = new SeededRandom(1);
        var series = Enumerable.Range(0, 300).Select(t => 200 + (t % 7 is 5 or 6 ? 80 : 0) + 10 * (float)rng.NextGaussian()).ToArray();
        var model = ForecastTrainer.Train([series], new TrainingOptions { Horizon = 7, HiddenSize = 8, Epochs = 5, Ensemble = 2, Seed = 42 }).Model;
        Assert.Equal(Statistics.SeriesTransform.None, model.Transform);

        var closed = series[^70..^20].Concat(new float[20]).ToArray();
        var forecast = model.Forecast([closed])[0];
        // Twenty days of zeros after values about 200: somewhere between, and no longer the weekly pattern at 200-280.
        Assert.All(forecast.Mean, v => Assert.InRange(v, 0f, 150f));
        Assert.All(model.Forecast([new float[70]])[0].Mean, v => Assert.Equal(0f, v));

        var stream = model.NewState(series[^70..]);
        for (int k = 0; k < 40; k++) model.Append(stream, 0f);
        Assert.All(model.Forecast(stream).Mean, v => Assert.InRange(v, 0f, 1f));
    }
}

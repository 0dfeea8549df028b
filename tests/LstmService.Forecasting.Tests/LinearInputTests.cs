using LstmService.Forecasting.Models;
using LstmService.Forecasting.Training;

namespace LstmService.Forecasting.Tests;

/// <summary>
/// What the backtest's chunking relies on: a forecast of many inputs is, bit for bit, the forecasts of its chunks (so scoring
/// origins chunk by chunk, with bounded memory, gives the numbers of one call over all of them); and cancellation stops a forecast.
/// </summary>
public class LinearInputTests
{
    static readonly TrainingOptions Small = new() { Horizon = 4, HiddenSize = 4, Epochs = 2, Patience = 2, Ensemble = 2, Seed = 3 };

    static float[] Series(int n) => Enumerable.Range(0, n).Select(t => (float)(20 + 5 * Math.Sin(2 * Math.PI * t / 12) + 0.01 * t)).ToArray();

    [Fact]
    public void Forecasts_of_chunks_equal_one_forecast_of_all_inputs_bit_for_bit()
    {
        var values = Series(400);
        var model = ForecastTrainer.Train([values], Small).Model;
        // 600 prefixes (more than two network batches of ForecastModel.PredictChunk), as the backtest builds them.
        var inputs = Enumerable.Range(0, 600).Select(k => new ForecastInput(values[..(model.InputWindow + k % (values.Length - model.InputWindow))])).ToList();
        var all = model.Forecast(inputs);
        var chunked = new List<SeriesForecast>();
        for (int start = 0; start < inputs.Count; start += ForecastModel.PredictChunk)
            chunked.AddRange(model.Forecast(inputs.Skip(start).Take(ForecastModel.PredictChunk).ToList()));

        Assert.Equal(all.Count, chunked.Count);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i].Mean, chunked[i].Mean);
            foreach (var (level, band) in all[i].Quantiles) Assert.Equal(band, chunked[i].Quantiles[level]);
        }
    }

    [Fact]
    public void A_cancelled_forecast_stops()
    {
        var values = Series(200);
        var model = ForecastTrainer.Train([values], Small).Model;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.Forecast([new ForecastInput(values)], cancellationToken: cancelled.Token));
        Assert.Single(model.Forecast([new ForecastInput(values)]));
    }
}
